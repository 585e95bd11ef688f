package com.bedrockportal.lifecycle;

import java.util.Optional;

import org.springframework.stereotype.Service;

/**
 * Key rotation (process {@code bedrock-key-rotation}): a new key for an application, revealed once by its owner, an
 * overlap during which both keys work, then the old key disabled and deleted. Never more than two keys per IAM user.
 */
@Service
public class Rotations {

    /** Why a rotation started. */
    public enum Trigger {
        /** A person pressed "Rotate key" (owner, unit manager, security). */
        MANUAL,
        /** The application's rotate-every schedule. */
        SCHEDULED,
        /** Security confirmed a compromise: the old key is already disabled, so there is no overlap. */
        COMPROMISE
    }

    /**
     * Starts a rotation that no person pressed for (the schedule, a confirmed compromise). {@code by} names the
     * starter for the timeline and audit log (e.g. "schedule", or the security user who confirmed the compromise).
     * Returns the rotation's id, or empty when the application cannot rotate now (not ACTIVE, a rotation already
     * open, no key to replace); the reason is logged and audited.
     */
    public Optional<Long> startBySystem(long applicationId, Trigger trigger, String reason, String by) {
        throw new UnsupportedOperationException("rotation is being built");
    }

    /** The application's open rotation, if any. */
    public Optional<Long> open(long applicationId) {
        return Optional.empty();
    }
}
