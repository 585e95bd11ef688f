/**
 * Monitoring: what AWS says about a key after it was handed out — its IAM user's CloudTrail events and its
 * application's spend ({@link com.bedrockportal.monitoring.KeyEvidence}), read through the provisioning module's
 * {@code ActivityTrail} and {@code SpendReports} ports — and the usage collection
 * ({@link com.bedrockportal.monitoring.UsageCollection}): every application's Bedrock calls, spend and budgets, kept
 * in the usage tables, read through {@link com.bedrockportal.monitoring.UsageFigures} and announced by
 * {@link com.bedrockportal.monitoring.UsageCollected}. Depends on key, application and businessunit (a key's IAM user,
 * the applications and their cost-allocation tags), provisioning (the ports), audit, shared and identity; the key
 * page, the compromise case, the application page (its usage card, {@code monitoring.ui}), the alerts and the
 * dashboard use it.
 */
package com.bedrockportal.monitoring;
