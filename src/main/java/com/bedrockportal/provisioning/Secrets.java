package com.bedrockportal.provisioning;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Port: the Secrets Manager copy of an API key, when a request asks for one. Implemented by the AWS SDK adapter and
 * the simulated account, held to {@code SecretsContract}. Failures are {@link CloudException}s.
 */
public interface Secrets {

    /** A secret as DescribeSecret shows it: one scheduled for deletion is still found by name, and takes no value. */
    record Found(String arn, boolean deletionScheduled) {
    }

    /** The secret, if it exists (also while it is scheduled for deletion). */
    Optional<Found> lookUp(String name);

    /** The secret's ARN, if it exists. */
    default Optional<String> findSecret(String name) {
        return lookUp(name).map(Found::arn);
    }

    /** @return the ARN. The value is copied and may be overwritten by the caller afterwards. */
    String createSecret(String name, char[] value, Map<String, String> tags, String description);

    /** Stores a new version of an existing secret. */
    void putSecretValue(String name, char[] value);

    // --- Rotation: a new key waits as AWSPENDING until its owner has revealed it, then becomes AWSCURRENT

    /** The version label consumers read by default. */
    String CURRENT = "AWSCURRENT";
    /** The version label of a value not yet in use. */
    String PENDING = "AWSPENDING";

    /**
     * Stores {@code value} as version {@code versionId} labelled {@value #PENDING} only: whoever reads the secret
     * still gets the {@value #CURRENT} value. {@code versionId} is the request token (32 to 64 characters); storing
     * the same version again is a no-op, so a replayed step adds nothing.
     *
     * @throws CloudException NOT_FOUND when the secret does not exist
     */
    void stagePendingValue(String name, String versionId, char[] value);

    /**
     * Moves {@value #CURRENT} to version {@code versionId} (Secrets Manager labels the version that was current
     * AWSPREVIOUS) and takes {@value #PENDING} off it.
     *
     * @return true if this call moved it, false if that version was current already
     * @throws CloudException NOT_FOUND when the secret or the version does not exist
     */
    boolean promote(String name, String versionId);

    /** The version id labelled {@value #CURRENT} (what readers get by default); empty when the secret is gone. */
    Optional<String> currentVersion(String name);

    // --- Decommissioning (teardown of an application's resources)

    /** The fewest and most days Secrets Manager accepts as a deleted secret's recovery window. */
    int MIN_RECOVERY_DAYS = 7;
    int MAX_RECOVERY_DAYS = 30;

    /**
     * Schedules the secret's deletion after a recovery window of 7 to 30 days (it can be restored until then; its
     * name stays taken). Idempotent: a missing secret, or one already scheduled for deletion, counts as deleted.
     *
     * @return true if this call scheduled the deletion, false if there was nothing to delete
     * @throws CloudException INVALID_INPUT when the window is not 7 to 30 whole days
     */
    boolean deleteSecret(String name, Duration recoveryWindow);

    /**
     * Cancels a scheduled deletion: a copy a change dropped, asked for again within its recovery window. Until then
     * the secret takes no new value.
     *
     * @return true if the secret was scheduled for deletion, false if it was not
     * @throws CloudException NOT_FOUND when the secret does not exist (any more)
     */
    boolean restoreSecret(String name);
}
