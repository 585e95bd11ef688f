package com.bedrockportal.provisioning;

import java.time.Duration;
import java.time.Instant;

/**
 * Port: sessions of an application's role (STS AssumeRole), from which 12-hour keys are built. Implemented by the AWS
 * SDK adapter and the simulated account. The credentials are held only as long as it takes to sign a key.
 */
public interface RoleSessions {

    /**
     * Temporary credentials of one session. {@code expiresAt} is what STS granted, which may be sooner than asked
     * (role chaining caps a session at one hour). {@link #toString()} names the access key id only.
     */
    record SessionCredentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "SessionCredentials[" + accessKeyId + ", expires " + expiresAt + "]";
        }
    }

    /**
     * Assumes the role for {@code duration}. If AWS refuses that duration because the portal itself runs as a role
     * (role chaining allows at most one hour), the adapter asks again for one hour.
     *
     * @throws CloudException NOT_FOUND / ACCESS_DENIED when the role is missing or does not trust the portal
     */
    SessionCredentials assumeRole(String roleArn, String sessionName, Duration duration);
}
