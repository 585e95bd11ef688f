/**
 * What happens to a key after its reveal: disable (Inactive in AWS at once), re-enable (security only) and revoke
 * (disabled, then deleted in AWS, which frees one of the IAM user's two key slots), each with a reason, audited and
 * told to the key's owner ({@link com.bedrockportal.lifecycle.KeyActions}); compromise response
 * ({@link com.bedrockportal.lifecycle.Compromises}: cases, the leaked-key form, the signed secret-scanning endpoint,
 * the steps of process {@code bedrock-key-compromise}, whose wiring is in the workflow module); rotation and expiry
 * watch. Depends on key (the records), provisioning (the cloud port), monitoring (the evidence), application,
 * identity, audit, notification and businessunit; the Keys view links to its key page by path; the workflow module
 * starts and moves the processes from this module's events.
 */
package com.bedrockportal.lifecycle;
