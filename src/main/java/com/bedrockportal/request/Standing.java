package com.bedrockportal.request;

/**
 * Where a request stands for the people who read it, derived from stored facts: its status and, once provisioned,
 * its key's status, reveal, expiry and last change; an incident in provisioning reads as "delayed".
 *
 * @param code       {@code status.<code>} is its label: a {@link RequestStatus} name, CHANGED, DELAYED or KEY_*
 * @param tone       the colour of its badge
 * @param revealable whether the requester can still reveal the key now
 * @param keyId      the request's key, once there is one (null before)
 * @param revealedAt when its key was revealed (null if not)
 */
public record Standing(String code, Tone tone, boolean revealable, Long keyId, java.time.Instant revealedAt) {

    Standing(String code, Tone tone) {
        this(code, tone, false, null, null);
    }

    /** Badge colours. */
    public enum Tone {
        NEUTRAL, SUCCESS, WARNING, ERROR, CONTRAST
    }
}
