package com.bedrockportal.request;

/**
 * One result of the policy lint: which rule, how serious, what it found and how to fix it ({@code fix} is empty for a
 * rule that passed). {@link Severity#ERROR}: the portal refuses to submit the request as it is.
 */
public record LintFinding(Rule rule, Severity severity, String text, String fix) {

    public enum Severity {
        ERROR, WARNING, OK, SKIPPED
    }

    /** The lint's rules, in the order they are shown. */
    public enum Rule {
        BEARER_TOKEN, WILDCARD_RESOURCE, REGION_CONDITION, SOURCE_IP, KEY_LIFETIME, GUARDRAIL, POLICY_SIZE,
        ACCESS_ANALYZER
    }

    public boolean blocking() {
        return severity == Severity.ERROR;
    }
}
