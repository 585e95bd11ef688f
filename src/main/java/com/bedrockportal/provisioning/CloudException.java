package com.bedrockportal.provisioning;

/**
 * A failure in AWS (or the simulated account). Business failures ({@link #business()}) will fail again if retried
 * and need a person; transient ones (throttling, 5xx, timeouts) are retried.
 */
public class CloudException extends RuntimeException {

    public enum Kind {
        ALREADY_EXISTS, NOT_FOUND, LIMIT_EXCEEDED, ACCESS_DENIED, INVALID_INPUT, CONFLICT, TRANSIENT
    }

    private static final java.security.SecureRandom REFERENCES = new java.security.SecureRandom();

    private final Kind kind;
    private final String operation;

    public CloudException(Kind kind, String operation, String message, Throwable cause) {
        super(operation + ": " + message, cause);
        this.kind = kind;
        this.operation = operation;
    }

    public CloudException(Kind kind, String operation, String message) {
        this(kind, operation, message, null);
    }

    public Kind kind() {
        return kind;
    }

    public String operation() {
        return operation;
    }

    public boolean business() {
        return kind != Kind.TRANSIENT;
    }

    /**
     * What a person (or a REST API caller) is told of this failure: the call, the kind of refusal and {@code reference},
     * the reference of the log line that holds AWS's own words ({@link #newReference()}). AWS's message can name the
     * portal's role, its account and other resources, which those asking need not see.
     */
    private String forPeople(String reference) {
        return operation + ": " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + " (log reference " + reference + ")";
    }

    /**
     * Logs AWS's own words under a new reference ({@code what} refused by AWS) and returns what a person is told
     * (the call, its kind and the reference).
     */
    public String forPeopleLogged(org.slf4j.Logger log, String what) {
        String reference = newReference();
        log.warn("{} refused by AWS ({}, log reference {}): {}", what, kind, reference, getMessage());
        return forPeople(reference);
    }

    /** A short reference that ties what a person was told to the log line with AWS's own words. */
    private static String newReference() {
        return Long.toHexString(REFERENCES.nextLong() & 0xffffffffL);
    }
}
