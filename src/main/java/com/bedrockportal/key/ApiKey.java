package com.bedrockportal.key;

import java.time.Instant;

/**
 * An API key as the portal knows it: never the key itself, only its first 12 characters. {@code requester} is whom
 * it was issued to (who may reveal it); {@code statusReason}, {@code statusChangedBy} and {@code statusChangedAt}
 * tell the last disable, re-enable or revoke (null before any), {@code statusBefore} the status it changed from.
 * {@code deliveredToSecret}: a rotation's key handed over to its application's Secrets Manager copy instead of
 * revealed (then {@code revealedAt} is when, and nobody ever saw it).
 */
public record ApiKey(long id, long requestId, long businessUnitId, String iamUser, String credentialId,
        String prefix, KeyStatus status, Instant createdAt, Instant expiresAt, Instant revealDeadline, String secretArn,
        String requester, Instant revealedAt, String revealedBy, boolean sealedCopy, String statusReason,
        String statusChangedBy, Instant statusChangedAt, KeyStatus statusBefore, boolean deliveredToSecret) {
}
