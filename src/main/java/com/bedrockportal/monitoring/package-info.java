/**
 * Monitoring: what AWS says about a key after it was handed out — its IAM user's CloudTrail events and its
 * application's spend ({@link com.bedrockportal.monitoring.KeyEvidence}), read through the provisioning module's
 * {@code ActivityTrail} and {@code SpendReports} ports. Depends on key, application and businessunit (to find a key's
 * IAM user and cost-allocation tags), provisioning (the ports) and identity; the key page and the compromise case use
 * it.
 */
package com.bedrockportal.monitoring;
