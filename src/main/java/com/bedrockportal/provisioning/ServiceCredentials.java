package com.bedrockportal.provisioning;

import java.time.Instant;
import java.util.List;

/**
 * Port: IAM service-specific credentials, which are Bedrock's long-term API keys. Implemented by the AWS SDK adapter
 * and the simulated account, held to {@code ServiceCredentialsContract}. Failures are {@link CloudException}s.
 */
public interface ServiceCredentials {

    /** The service name of Bedrock API keys. */
    String BEDROCK_SERVICE = "bedrock.amazonaws.com";

    record ServiceCredential(String credentialId, String userName, String serviceName, String status,
            Instant createdAt, Instant expiresAt) {
    }

    /** A freshly created credential: {@code secret} is the API key, returned this once; overwrite it after use. */
    record NewServiceCredential(ServiceCredential credential, char[] secret) {
    }

    /** The user's credentials for the service, or for every service when {@code serviceName} is null. */
    List<ServiceCredential> listServiceCredentials(String userName, String serviceName);

    /** @throws CloudException LIMIT_EXCEEDED when the user already has two credentials for the service */
    NewServiceCredential createServiceCredential(String userName, String serviceName, int credentialAgeDays);

    void updateServiceCredentialStatus(String userName, String credentialId, boolean active);

    void deleteServiceCredential(String userName, String credentialId);
}
