package com.bedrockportal.request;

import java.util.Objects;

/**
 * The guardrail a change's policy requires ({@code bedrock:GuardrailIdentifier}) before and after it; null: none. A
 * new application's is {@link #NONE}.
 */
public record GuardrailChange(String before, String after) {

    public static final GuardrailChange NONE = new GuardrailChange(null, null);

    /** Blank values are none. */
    public GuardrailChange {
        before = before == null || before.isBlank() ? null : before.strip();
        after = after == null || after.isBlank() ? null : after.strip();
    }

    public boolean changed() {
        return !Objects.equals(before, after);
    }

    /**
     * Whether the change removes or replaces the guardrail required now: the policy is written from the request, so
     * that lifts a condition on every call, which the manager alone does not approve. Requiring one where none was
     * required narrows access.
     */
    public boolean lifted() {
        return before != null && !before.equals(after);
    }
}
