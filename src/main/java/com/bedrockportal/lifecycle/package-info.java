/**
 * What happens to a key after its reveal: disable (Inactive in AWS at once), re-enable (security only) and revoke
 * (disabled, then deleted in AWS, which frees one of the IAM user's two key slots), each with a reason, audited and
 * told to the key's owner ({@link com.bedrockportal.lifecycle.KeyActions}); rotation
 * ({@link com.bedrockportal.lifecycle.Rotations}, process {@code bedrock-key-rotation}); the expiry watch
 * ({@link com.bedrockportal.lifecycle.ExpiryWatch}: scheduled rotations, reminders before expiry with Renew, deleting
 * expired keys — each once per key across nodes and restarts); compromise response
 * ({@link com.bedrockportal.lifecycle.Compromises}: cases, the leaked-key form, the signed secret-scanning endpoint,
 * the steps of process {@code bedrock-key-compromise}). Depends on key (the records), provisioning (the cloud port),
 * monitoring (the evidence), application (schedules, owners, page sections), request (a renewal is a change request),
 * identity, audit, notification and businessunit; the Keys view and the application page reach it by path or through
 * {@link com.bedrockportal.application.KeyRenewal} and {@link com.bedrockportal.application.ApplicationPageSection};
 * the workflow module starts and moves the processes from this module's events.
 */
package com.bedrockportal.lifecycle;
