package com.bedrockportal.workflow;

/** Something about a request an approver should look at twice. */
public record RiskFlag(String code, String message) {
}
