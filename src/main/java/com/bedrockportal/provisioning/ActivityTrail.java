package com.bedrockportal.provisioning;

import java.time.Instant;
import java.util.List;

/**
 * Port: CloudTrail's management events of one IAM user ({@code LookupEvents} with the {@code Username} attribute).
 * Implemented by the AWS SDK adapter (stubbed with WireMock in tests: moto does not implement it) and the simulated
 * account, which records the calls made with its keys. Failures are {@link CloudException}s.
 */
public interface ActivityTrail {

    /** The most events one look-up returns (the caller shows that the list was cut). */
    int MAX_EVENTS = 500;

    /**
     * One CloudTrail event. {@code credentialId}: the key or access key the call was made with, when the record names
     * it (else null); {@code errorCode} null for a call that succeeded.
     */
    record TrailEvent(String eventId, Instant time, String eventName, String eventSource, String sourceIp,
            String userAgent, String region, String errorCode, String credentialId) {
    }

    /** The user's events from {@code from} (inclusive) to {@code to}, newest first, at most {@code max}. */
    List<TrailEvent> eventsOfUser(String userName, Instant from, Instant to, int max);
}
