package com.bedrockportal.key;

/** Events of the key module. */
public final class KeyEvents {

    private KeyEvents() {
    }

    /** The requester revealed the key of a request (the workflow's receive task continues). */
    public record Revealed(long requestId) {
    }
}
