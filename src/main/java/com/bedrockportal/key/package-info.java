/**
 * API keys: sealing ({@code internal.SecretSealer}, AES-256-GCM with data keys wrapped by the master key
 * or AWS KMS, master key rotation), the key records ({@link com.bedrockportal.key.ApiKeys}: only sealed bytes, the
 * credential id, the first 12 characters and the expiry are stored), the one-time reveal after a fresh login
 * ({@link com.bedrockportal.key.KeyReveal}) and the key inventory the Keys view lists. The sealing implementation
 * (sealer, master-key rotation, its settings) is in {@code internal}, which
 * other modules cannot reach.
 */
package com.bedrockportal.key;
