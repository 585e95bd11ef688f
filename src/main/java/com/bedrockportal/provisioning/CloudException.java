package com.bedrockportal.provisioning;

/**
 * A failure in AWS (or the simulated account). Business failures ({@link #business()}) will fail again if retried
 * and need a person; transient ones (throttling, 5xx, timeouts) are retried.
 */
public class CloudException extends RuntimeException {

    public enum Kind {
        ALREADY_EXISTS, NOT_FOUND, LIMIT_EXCEEDED, ACCESS_DENIED, INVALID_INPUT, CONFLICT, TRANSIENT
    }

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
}
