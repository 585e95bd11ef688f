package com.bedrockportal.workflow;

/**
 * Something about a request an approver should look at twice: {@code code} names it (and its short name's message
 * key, {@code risk.<code>}), {@code message} says it in full.
 */
public record RiskFlag(String code, String message) {

    /** How much a flag weighs, highest first. */
    public enum Severity {
        HIGH, MEDIUM, LOW
    }

    /** Access from anywhere and confidential data weigh most; a unit's first request least. */
    public Severity severity() {
        return switch (code) {
            case "NO_IP_RESTRICTION", "CONFIDENTIAL_DATA" -> Severity.HIGH;
            case "FIRST_REQUEST" -> Severity.LOW;
            default -> Severity.MEDIUM;
        };
    }
}
