package com.bedrockportal.key.internal;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The master key that wraps every API key's data key ({@code portal.sealing.*}).
 *
 * @param masterKey base64 of 32 random bytes ({@code PORTAL_SEALING_KEY}); required in production
 * @param keyFile   the master key's file (base64), read when {@code master-key} is empty; generated there once
 *                  (owner-only) where {@code portal.key-files.generate} allows it; compose mounts a secret there
 * @param previousMasterKey during a master key rotation, the old key: keys sealed under it are re-wrapped at start
 * @param kmsKeyId  in {@code aws} mode: wrap data keys with this AWS KMS key (id, ARN or alias) instead
 */
@ConfigurationProperties("portal.sealing")
record SealingProperties(String masterKey, @DefaultValue("./data/sealing.key") Path keyFile,
        String previousMasterKey, String kmsKeyId) {
}
