package com.bedrockportal.provisioning;

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
}
