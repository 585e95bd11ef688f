/**
 * What happens to a key after its reveal: disable (Inactive in AWS at once), re-enable (security only) and revoke
 * (disabled, then deleted in AWS, which frees one of the IAM user's two key slots), each with a reason, audited and
 * told to the key's owner ({@link com.bedrockportal.lifecycle.KeyActions}); later rotation, expiry watch and
 * compromise response. Depends on key (the records), provisioning (the cloud port), identity, audit, notification
 * and businessunit; the Keys view links to its key page by path, so nothing depends on this module.
 */
package com.bedrockportal.lifecycle;
