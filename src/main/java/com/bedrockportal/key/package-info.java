/**
 * API keys: the sealing of secrets ({@link com.bedrockportal.key.SecretSealer}, AES-256-GCM with wrapped data keys)
 * and the key inventory ({@link com.bedrockportal.key.ApiKeys}): only sealed bytes, the credential id, the first 12
 * characters and the expiry are stored.
 */
package com.bedrockportal.key;
