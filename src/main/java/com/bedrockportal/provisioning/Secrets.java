package com.bedrockportal.provisioning;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Port: the Secrets Manager copy of an API key, when a request asks for one. Implemented by the AWS SDK adapter and
 * the simulated account, held to {@code SecretsContract}. Failures are {@link CloudException}s.
 */
public interface Secrets {

    /** The secret's ARN, if it exists. */
    Optional<String> findSecret(String name);

    /** @return the ARN. The value is copied and may be overwritten by the caller afterwards. */
    String createSecret(String name, char[] value, Map<String, String> tags, String description);

    /** Stores a new version of an existing secret. */
    void putSecretValue(String name, char[] value);

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
}
