package com.bedrockportal.request;

/** Where an access request stands. */
public enum RequestStatus {
    PENDING_MANAGER, PENDING_SECURITY, APPROVED, REJECTED, EXPIRED, WITHDRAWN, PROVISIONING, PROVISIONED,
    PROVISIONING_FAILED;

    public boolean pending() {
        return this == PENDING_MANAGER || this == PENDING_SECURITY;
    }
}
