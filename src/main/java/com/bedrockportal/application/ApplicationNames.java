package com.bedrockportal.application;

import java.util.Locale;

/**
 * How a new application's AWS resources are named, and the slug limits that follow from IAM's: a user name has at
 * most 64 characters, so {@code {unit}-{app}-bedrock} leaves {@code 64 - 9 - unit} characters for the application's
 * slug (at most {@value #SLUG_MAX}). The names are derived once, when the application is created, and recorded.
 */
public final class ApplicationNames {

    public static final int IAM_USER_MAX = 64;
    static final String USER_SUFFIX = "-bedrock";
    /** The longest application slug on any unit. */
    public static final int SLUG_MAX = 32;
    /** Lowercase letters, digits and inner hyphens: safe in IAM user, budget and secret names and in tags. */
    public static final String SLUG = "^[a-z0-9](?:[a-z0-9-]{0," + (SLUG_MAX - 2) + "}[a-z0-9])?$";
    /** The slug of a unit's application made from its keys of before applications (migration 11.1). */
    public static final String LEGACY_SLUG = "unit-key";

    private ApplicationNames() {
    }

    /** The longest slug an application of this unit may have (less than 1 when the unit's slug leaves no room). */
    public static int maxSlugLength(String unitSlug) {
        return Math.min(SLUG_MAX, IAM_USER_MAX - unitSlug.length() - 1 - USER_SUFFIX.length());
    }

    /** The names a new application gets. */
    public static Application.AwsNames of(String unitSlug, String appSlug) {
        if (LEGACY_SLUG.equals(appSlug)) {
            // A request submitted before applications, provisioned after: the unit's user, as it would have been.
            // Not the unit's budget name, though: {unit}-bedrock-monthly is the unit-wide budget's (see unitBudget).
            return new Application.AwsNames(unitSlug + "-bedrock-user", legacyBudget(unitSlug),
                    unitSlug + "/bedrock/api-key");
        }
        return own(unitSlug, appSlug);
    }

    /** The names of the application's own resources, whatever its slug (never the unit's of before applications). */
    static Application.AwsNames own(String unitSlug, String appSlug) {
        return new Application.AwsNames(iamUser(unitSlug, appSlug), unitSlug + "-" + appSlug + "-bedrock-monthly",
                unitSlug + "/" + appSlug + "/bedrock/api-key");
    }

    /** A slug proposed from a name: lowercase words joined by hyphens, cut to the longest any unit allows. */
    public static String proposeSlug(String name) {
        String slug = name == null ? "" : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        slug = slug.length() > SLUG_MAX ? slug.substring(0, SLUG_MAX) : slug;
        return slug.replaceAll("-+$", "");
    }

    /** Also computed in SQL by the request module's check of open requests (RequestRepository.iamUserRequested). */
    public static String iamUser(String unitSlug, String appSlug) {
        return unitSlug + "-" + appSlug + USER_SUFFIX;
    }

    // --- unit-wide budget (issue 10, owners)

    /**
     * The unit-wide budget, made from the unit's default monthly budget when an admin saves the unit. Before
     * applications this was the name of the unit's single budget; an application migrated from then may still record
     * it until the unit takes it over (see the README, "the unit-wide budget").
     */
    public static String unitBudget(String unitSlug) {
        return unitSlug + "-bedrock-monthly";
    }

    /** The migrated application's own budget once the unit took its old one over (created at its next change). */
    static String legacyBudget(String unitSlug) {
        return unitSlug + "-" + LEGACY_SLUG + "-bedrock-monthly";
    }
}
