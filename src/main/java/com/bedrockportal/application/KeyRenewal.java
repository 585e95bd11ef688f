package com.bedrockportal.application;

import java.time.Instant;
import java.util.Optional;

/**
 * Renewing an application's key that runs out by itself: a change request with the application's same access and a
 * new key, which the unit's manager alone approves. Implemented by the lifecycle module (which knows the keys' expiry
 * and the requests); the application page shows its offer and its button.
 */
public interface KeyRenewal {

    /**
     * What the application page shows about a key running out: the key ({@code keyPrefix}, {@code expiresAt},
     * whether it has {@code expired}), whether the current user may renew it now, and the renewal already waiting
     * for approval, if any ({@code openRequestId}).
     */
    record Offer(long keyId, String keyPrefix, Instant expiresAt, boolean expired, boolean mayRenew,
            Long openRequestId) {
    }

    /** A renewal was refused; nothing was created. The message is for the user. */
    class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    /** The offer for this application, or empty when none of its keys runs out (or the user may not see it). */
    Optional<Offer> offer(long applicationId);

    /**
     * Asks for the renewal: submits the change request and returns its id. {@code submissionKey} is fixed when the
     * page shows the button, so pressing it twice creates one request.
     *
     * @throws Refused when the user may not renew, nothing runs out, or a request for the application is open
     */
    long renew(long applicationId, String submissionKey);
}
