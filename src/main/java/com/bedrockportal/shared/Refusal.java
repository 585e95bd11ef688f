package com.bedrockportal.shared;

/**
 * A service refused an action and changed nothing; the message is for the user. Either the caller may see what it
 * concerns but is not one who may do this ({@link #notPermitted()}: the REST API's 403), or the action is not
 * possible in the current state (409). The views show the message either way.
 */
public abstract class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean notPermitted;

    protected Refusal(String message, boolean notPermitted) {
        super(message);
        this.notPermitted = notPermitted;
    }

    /** Whether the caller is not one who may do this (rather than: not now). */
    public boolean notPermitted() {
        return notPermitted;
    }
}
