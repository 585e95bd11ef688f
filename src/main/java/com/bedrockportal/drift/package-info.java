/**
 * AWS drift: a reconciliation (scheduled, {@code portal.drift.*}, and "Check now" for security) that compares the IAM
 * users under the portal's path, their Bedrock API keys, inline policies, budgets and secrets with the portal's
 * records (applications and their keys) and keeps findings — de-duplicated, with first and last seen, resolved when
 * the drift disappears ({@link com.bedrockportal.drift.DriftService}). Security adopts a key created outside the
 * portal, re-applies the portal's policy or disables a key, each after re-reading AWS. Reads AWS only through the
 * provisioning module's cloud ports; depends on application, key, catalog, provisioning, request (the guardrail a policy requires), audit, notification,
 * identity and shared; the alerts module reads its open findings.
 */
package com.bedrockportal.drift;
