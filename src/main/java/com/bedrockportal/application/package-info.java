/**
 * Applications: a business unit's workloads ("campaign-copy", "support-summariser"), each with its own AWS identity —
 * IAM user {@code {unit}-{app}-bedrock} under the portal's path, its own inline policy, keys and monthly budget —
 * and its current approved access. The AWS names are recorded when an application is created and read from the
 * record ever after ({@link com.bedrockportal.application.ApplicationNames} derives them once; applications migrated
 * from the one-user-per-unit model keep the names they had). An approved "new application" request creates one; a
 * change request updates its access. Its views list a unit's applications and show one with its keys.
 */
package com.bedrockportal.application;
