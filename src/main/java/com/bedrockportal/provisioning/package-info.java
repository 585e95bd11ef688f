/**
 * Provisioning in AWS: the least-privilege policy builder ({@link com.bedrockportal.provisioning.PolicyBuilder}), the
 * one measurement of its size against AWS's limit ({@link com.bedrockportal.provisioning.PolicySize}) and the
 * resource tags shown before approval, the small cloud ports both adapters implement (IAM users, user policies,
 * service credentials, budgets, secrets, account identity, permission check), and the idempotent provisioning steps
 * ({@link com.bedrockportal.provisioning.Provisioner}): IAM user, policy, sealed API key, budget, Secrets Manager
 * copy. The process that runs them lives in the workflow module ({@code workflow}).
 */
package com.bedrockportal.provisioning;
