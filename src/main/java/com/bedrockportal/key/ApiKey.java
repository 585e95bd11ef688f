package com.bedrockportal.key;

import java.time.Instant;

/** An API key as the portal knows it: never the key itself, only its first 12 characters. */
public record ApiKey(long id, long requestId, long businessUnitId, String iamUser, String credentialId,
        String prefix, KeyStatus status, Instant createdAt, Instant expiresAt, Instant revealDeadline, String secretArn) {
}
