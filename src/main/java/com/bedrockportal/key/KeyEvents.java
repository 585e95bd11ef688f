package com.bedrockportal.key;

/** Events of the key module. */
public final class KeyEvents {

    private KeyEvents() {
    }

    /** The requester revealed the key of a request (the workflow's receive task continues). */
    public record Revealed(long requestId) {
    }

    /** The owner revealed a key that has no request (a rotation's new key): the rotation's process continues. */
    public record RotatedKeyRevealed(long keyId) {
    }
}
