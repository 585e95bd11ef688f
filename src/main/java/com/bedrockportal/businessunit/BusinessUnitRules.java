package com.bedrockportal.businessunit;

import java.math.BigDecimal;
import java.util.regex.Pattern;

import com.bedrockportal.shared.FieldErrors;

/**
 * Field rules for business units. The slug names AWS resources: IAM user {@code {slug}-bedrock-user} (IAM: at most
 * 64 characters of {@code [A-Za-z0-9+=,.@_-]}), budget {@code {slug}-bedrock-monthly}, secret
 * {@code {slug}/bedrock/api-key} — so it is kept to lowercase letters, digits, '.', '_' and '-'.
 */
final class BusinessUnitRules {

    static final int SLUG_MAX = 64 - "-bedrock-user".length();
    static final Pattern SLUG = Pattern.compile("^[a-z0-9](?:[a-z0-9._-]{0," + (SLUG_MAX - 2) + "}[a-z0-9])?$");
    static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9._@+-]{1,128}$");
    // A pragmatic address check: one @, a dot in the domain, no spaces or angle brackets.
    static final Pattern EMAIL = Pattern.compile("^[^\\s@<>\"]{1,64}@[^\\s@<>\"]+\\.[^\\s@<>\"]{2,}$");
    // AWS tag values: letters, digits, spaces and _ . : / = + - @ (the cost center becomes a tag).
    static final Pattern TAG_VALUE = Pattern.compile("^[\\p{L}\\p{N} _.:/=+@-]+$");
    static final BigDecimal MAX_BUDGET = new BigDecimal("1000000");

    private BusinessUnitRules() {
    }

    static void validate(BusinessUnitDraft d, boolean creating, FieldErrors.Collector errors) {
        if (creating) {
            String slug = trim(d.getSlug());
            if (slug.isEmpty()) {
                errors.add("slug", "Enter a slug, e.g. marketing.");
            } else if (slug.length() > SLUG_MAX) {
                errors.add("slug", "At most " + SLUG_MAX + " characters: the IAM user " + BusinessUnit.iamUserName("…")
                        + " may have at most 64.");
            } else if (!SLUG.matcher(slug).matches()) {
                errors.add("slug", "Use lowercase letters, digits, '.', '_' or '-', starting and ending with a letter "
                        + "or digit (it names the IAM user " + BusinessUnit.iamUserName("{slug}") + ").");
            }
        }
        String name = trim(d.getDisplayName());
        if (name.isEmpty()) {
            errors.add("displayName", "Enter a display name.");
        } else if (name.length() > 120) {
            errors.add("displayName", "At most 120 characters.");
        }
        String cost = trim(d.getCostCenter());
        if (cost.isEmpty()) {
            errors.add("costCenter", "Enter the cost center that pays for this unit's usage.");
        } else if (cost.length() > 64) {
            errors.add("costCenter", "At most 64 characters.");
        } else if (!TAG_VALUE.matcher(cost).matches()) {
            errors.add("costCenter", "Use letters, digits, spaces and _ . : / = + - @ only (it becomes an AWS tag).");
        }
        String email = trim(d.getOwnerEmail());
        if (email.isEmpty()) {
            errors.add("ownerEmail", "Enter the owner's e-mail address.");
        } else if (email.length() > 320 || !EMAIL.matcher(email).matches()) {
            errors.add("ownerEmail", "Enter a valid e-mail address, e.g. owner@example.com.");
        }
        BigDecimal budget = d.getDefaultMonthlyBudget();
        if (budget == null) {
            errors.add("defaultMonthlyBudget", "Enter a default monthly budget in USD.");
        } else if (budget.signum() <= 0) {
            errors.add("defaultMonthlyBudget", "The budget must be more than 0 USD.");
        } else if (budget.compareTo(MAX_BUDGET) > 0) {
            errors.add("defaultMonthlyBudget", "At most 1,000,000 USD a month.");
        } else if (budget.stripTrailingZeros().scale() > 2) {
            errors.add("defaultMonthlyBudget", "Use at most two decimal places.");
        }
        if (d.getManagers().isEmpty()) {
            errors.add("managers", "Name at least one manager who approves this unit's requests.");
        }
        d.getManagers().stream().filter(u -> !USERNAME.matcher(u).matches()).findFirst()
                .ifPresent(u -> errors.add("managers", "'" + u + "' is not a valid username."));
        d.getMembers().stream().filter(u -> !USERNAME.matcher(u).matches()).findFirst()
                .ifPresent(u -> errors.add("members", "'" + u + "' is not a valid username."));
    }

    static String trim(String s) {
        return s == null ? "" : s.strip();
    }
}
