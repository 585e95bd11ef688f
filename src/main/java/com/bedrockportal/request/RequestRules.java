package com.bedrockportal.request;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.provisioning.PolicyBuilder;
import com.bedrockportal.provisioning.PolicySize;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

/**
 * Server-side rules of a request: the draft's field rules (its annotations), then what depends on data and settings —
 * the user's units, the model catalog, the offered regions, the limits, the source-IP ranges and alert addresses
 * parsed, and the size of the policy the request would produce. Collects all problems at once, each under its field;
 * nothing is saved unless there are none. Counts and lengths are checked before any look-up or parsing.
 */
final class RequestRules {

    /** A request that passed every rule, with its lists parsed. */
    record Valid(BusinessUnit unit, String applicationSlug, String applicationName, String purpose,
            List<CatalogModel> models, List<String> regions, List<String> sourceCidrs, int lifetimeDays,
            BigDecimal monthlyBudget, int alertThreshold, List<String> alertEmails, boolean storeSecret,
            String ownerEmail, DataClassification classification, AccessRequest.Kind kind, Long applicationId,
            boolean newKey, AccessRequest.Baseline baseline, AccessChange change) {

        /** A renewal: a new key with the application's same access (then the new key widens nothing). */
        boolean renewal() {
            return change.renewal();
        }

        /** A change that widens nothing needs the manager only; everything else goes to security too. */
        boolean securityReview() {
            return kind == AccessRequest.Kind.NEW || change.widens();
        }
    }

    /** The application a change names, as the rules need it: whose it is, whether it is live, its access. */
    record ChangeTarget(long id, long businessUnitId, String slug, String displayName, boolean active,
            boolean openRequest, AccessRequest.Baseline baseline) {
    }

    /** Looks up the application a change names. */
    interface ChangeTargets {
        java.util.Optional<ChangeTarget> find(long applicationId);
    }

    /** Which application names are in use: applications, and new ones that open requests ask for. */
    interface NamesInUse {
        boolean slugTaken(long unitId, String slug);

        boolean iamUserTaken(String iamUser);

        /** Whether a business unit has this slug (its unit-wide budget is then {@code <slug>-bedrock-monthly}). */
        default boolean unitSlugTaken(String slug) {
            return false;
        }
    }

    private static final int CIDR_TEXT_MAX = RequestDraft.CIDR_TEXT_MAX;
    private static final Pattern EMAIL = Pattern.compile(RequestDraft.EMAIL);
    private static final Pattern SPLIT = Pattern.compile("[,;\\s]+");

    private RequestRules() {
    }

    /**
     * Strips the purpose and the owner (the draft is changed), then checks every rule. {@code accountId} is the
     * account provisioning names in the policy's ARNs: the policy is measured as it will be applied.
     */
    static Valid validate(RequestDraft d, List<BusinessUnit> unitsOfUser, Map<String, CatalogModel> catalog,
            RequestProperties props, FormValidation rules, NamesInUse names, ChangeTargets targets,
            String accountId) {
        return validate(d, unitsOfUser, catalog, props, rules, names, targets, accountId, false);
    }

    /**
     * As above; {@code renewal}: the draft is a renewal (a change asking for a new key with exactly the application's
     * access), refused unless it is exactly that.
     */
    static Valid validate(RequestDraft d, List<BusinessUnit> unitsOfUser, Map<String, CatalogModel> catalog,
            RequestProperties props, FormValidation rules, NamesInUse names, ChangeTargets targets,
            String accountId, boolean renewal) {
        d.setPurpose(strip(d.getPurpose(), 2 * RequestDraft.PURPOSE_MAX));
        d.setApplicationName(strip(d.getApplicationName(), 2 * RequestDraft.APPLICATION_NAME_MAX));
        d.setApplicationSlug(strip(d.getApplicationSlug(), 2 * ApplicationNames.SLUG_MAX));
        d.setOwnerEmail(strip(d.getOwnerEmail(), 2 * RequestDraft.EMAIL_MAX));
        d.setGuardrailArn(strip(d.getGuardrailArn(), 2 * RequestDraft.GUARDRAIL_MAX));
        FieldErrors.Collector errors = rules.check(d);

        BusinessUnit unit = null;
        if (!errors.has("businessUnitId")) {
            unit = unitsOfUser.stream().filter(u -> u.id() == d.getBusinessUnitId()).findFirst().orElse(null);
            if (unit == null) {
                errors.add("businessUnitId", rules.text("request.unit.notMember"));
            }
        }

        ChangeTarget target = null;
        if (d.isChange()) {
            target = changeTarget(d, unit, targets, rules, errors);
        } else if (unit != null && !errors.has("applicationSlug")) {
            applicationSlug(d.getApplicationSlug(), unit, rules, names, errors);
        }

        List<CatalogModel> models = new ArrayList<>();
        if (!errors.has("models")) {
            for (String id : new LinkedHashSet<>(d.getModels())) {
                CatalogModel model = catalog.get(id);
                if (model == null) {
                    errors.add("models", rules.text("request.models.notInCatalog", id));
                } else if (!model.enabled()) {
                    errors.add("models", rules.text("request.models.disabled", model.displayName()));
                } else {
                    models.add(model);
                }
            }
        }

        List<String> regions = List.of();
        if (!errors.has("regions") && d.getRegions().size() > props.regions().size()) {
            errors.add("regions", rules.text("request.regions.tooMany", String.valueOf(props.regions().size())));
        } else if (!errors.has("regions")) {
            regions = List.copyOf(new LinkedHashSet<>(d.getRegions()));
            regions.stream().filter(r -> !props.regions().contains(r)).findFirst().ifPresent(r -> errors.add(
                    "regions", rules.text("request.regions.notOffered", r, String.join(", ", props.regions()))));
        }
        if (!errors.has("models") && !errors.has("regions")) {
            for (CatalogModel model : models) {
                if (regions.stream().noneMatch(model::availableIn)) {
                    errors.add("regions", rules.text("request.regions.modelNotOffered", model.displayName(),
                            String.join(", ", regions), String.join(", ", model.regions())));
                }
            }
        }

        List<String> cidrs = sourceCidrs(d.getSourceCidrs(), props, rules, errors);
        if (!errors.has("models") && !errors.has("regions") && !errors.has("sourceCidrs")) {
            String guardrail = errors.has("guardrailArn") || d.getGuardrailArn() == null
                    || d.getGuardrailArn().isBlank() ? null : d.getGuardrailArn().strip();
            policySize(models, regions, cidrs, accountId, guardrail, rules, errors);
        }

        if (!errors.has("lifetimeDays") && d.getLifetimeDays() > props.maxLifetimeDays()) {
            errors.add("lifetimeDays", rules.text("request.lifetime.range", String.valueOf(props.maxLifetimeDays())));
        }
        if (!errors.has("monthlyBudget") && d.getMonthlyBudget().compareTo(props.maxMonthlyBudget()) > 0) {
            errors.add("monthlyBudget", rules.text("request.budget.max", props.maxMonthlyBudget().toPlainString()));
        }

        List<String> emails = List.of();
        if (!errors.has("alertEmails")) {
            emails = tokens(d.getAlertEmails());
            if (emails.size() > RequestDraft.MAX_ALERT_EMAILS) {
                errors.add("alertEmails", rules.text("request.alertEmails.tooMany",
                        String.valueOf(RequestDraft.MAX_ALERT_EMAILS)));
            } else {
                emails.stream().filter(e -> e.length() > RequestDraft.EMAIL_MAX || !EMAIL.matcher(e).matches())
                        .findFirst().ifPresent(e -> errors.add("alertEmails", rules.text("request.alertEmails.invalid", e)));
            }
        }

        AccessChange change = AccessChange.NONE;
        if (target != null && !errors.any()) {
            change = AccessChange.between(target.baseline(), models.stream().map(CatalogModel::modelId).toList(),
                    regions, cidrs, d.getLifetimeDays(), d.getMonthlyBudget(), d.isStoreSecret(),
                    d.getDataClassification(), d.isNewKey(), renewal);
            if (change.secretAfter() && !change.secretBefore() && !d.isNewKey()) {
                // The portal holds a key sealed only until its reveal: a copy needs a key it still holds.
                errors.add("storeSecret", rules.text("request.storeSecret.needsNewKey"));
            }
            if (!change.changesAnything()) {
                errors.add("form", rules.text("request.change.nothing", target.displayName()));
            } else if (renewal && !change.renewal()) {
                errors.add("form", rules.text("request.renewal.notSameAccess", target.displayName()));
            }
        } else if (renewal && !errors.any()) {
            errors.add("form", rules.text("request.renewal.notSameAccess", d.getApplicationName()));
        }

        errors.throwIfAny();
        boolean isChange = target != null;
        return new Valid(unit, isChange ? target.slug() : d.getApplicationSlug(),
                isChange ? target.displayName() : d.getApplicationName(), d.getPurpose(), models, regions, cidrs,
                d.getLifetimeDays(), d.getMonthlyBudget(), d.getAlertThreshold(), emails, d.isStoreSecret(),
                d.getOwnerEmail(), d.getDataClassification(), d.getKind(), isChange ? target.id() : null,
                !isChange || d.isNewKey(), isChange ? target.baseline() : null, change);
    }

    /**
     * A change names one live application of the request's unit, with no other request open for it (two changes
     * computed from the same starting point would each undo the other's).
     */
    private static ChangeTarget changeTarget(RequestDraft d, BusinessUnit unit, ChangeTargets targets,
            FormValidation rules, FieldErrors.Collector errors) {
        if (d.getApplicationId() == null) {
            errors.add("applicationId", rules.text("request.change.application.required"));
            return null;
        }
        ChangeTarget target = targets.find(d.getApplicationId()).orElse(null);
        if (target == null || unit != null && target.businessUnitId() != unit.id()) {
            errors.add("applicationId", rules.text("request.change.application.notInUnit"));
            return null;
        }
        if (!target.active()) {
            errors.add("applicationId", rules.text("request.change.application.notActive", target.displayName()));
            return null;
        }
        if (target.openRequest()) {
            errors.add("applicationId", rules.text("request.change.application.open", target.displayName()));
            return null;
        }
        return unit == null ? null : target;
    }

    /**
     * The slug's room follows from the unit's (IAM user {@code {unit}-{app}-bedrock}, at most 64 characters); it must be
     * free in the unit and its IAM user name free everywhere (unit "a-b" with app "c" and unit "a" with app "b-c" would
     * share one), and the migrated applications' slug is reserved.
     */
    private static void applicationSlug(String slug, BusinessUnit unit, FormValidation rules, NamesInUse names,
            FieldErrors.Collector errors) {
        int room = ApplicationNames.maxSlugLength(unit.slug());
        String iamUser = ApplicationNames.iamUser(unit.slug(), slug);
        if (ApplicationNames.LEGACY_SLUG.equals(slug)) {
            errors.add("applicationSlug", rules.text("request.app.slug.reserved", slug));
        } else if (slug.length() > room) {
            errors.add("applicationSlug", rules.text("request.app.slug.noRoom", String.valueOf(Math.max(room, 0)),
                    unit.slug(), String.valueOf(ApplicationNames.IAM_USER_MAX)));
        } else if (names.slugTaken(unit.id(), slug)) {
            errors.add("applicationSlug", rules.text("request.app.slug.taken", slug, unit.displayName()));
        } else if (names.iamUserTaken(iamUser)) {
            errors.add("applicationSlug", rules.text("request.app.slug.iamUserTaken", iamUser));
        } else if (names.unitSlugTaken(unit.slug() + "-" + slug)) {
            // Slugs join with "-": the application's budget would be named as that unit's unit-wide budget.
            errors.add("applicationSlug", rules.text("request.app.slug.unitBudget", unit.slug() + "-" + slug));
        }
    }

    /**
     * The policy must fit the limit AWS applies to it (its lists are within their caps by now, so this is cheap); if
     * not, the message names the size, the limit and what to trim, under the field that adds the most.
     */
    private static void policySize(List<CatalogModel> models, List<String> regions, List<String> cidrs,
            String accountId, String guardrailArn, FormValidation rules, FieldErrors.Collector errors) {
        PolicySize size = PolicyBuilder.measure(new PolicyBuilder.PolicyInput(models, regions, cidrs, accountId,
                guardrailArn));
        if (!size.fits()) {
            errors.add(size.largest() == PolicySize.Contributor.SOURCE_IPS ? "sourceCidrs" : "models",
                    size.tooLarge(rules));
        }
    }

    /** Sizes and counts first, before any parsing: the overlap check compares every range with every other. */
    private static List<String> sourceCidrs(String text, RequestProperties props, FormValidation rules,
            FieldErrors.Collector errors) {
        String cidrText = text == null ? "" : text;
        int textMax = props.maxSourceCidrs() * (CIDR_TEXT_MAX + 2);
        if (cidrText.length() > textMax) {
            errors.add("sourceCidrs", rules.text("request.cidrs.tooLong", String.valueOf(props.maxSourceCidrs()),
                    String.valueOf(textMax)));
            return List.of();
        }
        List<String> tokens = tokens(cidrText);
        if (tokens.size() > props.maxSourceCidrs()) {
            errors.add("sourceCidrs", rules.text("request.cidrs.tooMany", String.valueOf(props.maxSourceCidrs()),
                    String.valueOf(tokens.size())));
            return List.of();
        }
        List<String> cidrs = new ArrayList<>();
        List<Cidr> parsed = new ArrayList<>();
        for (String token : tokens) {
            if (token.length() > CIDR_TEXT_MAX) {
                errors.add("sourceCidrs", rules.text("request.cidrs.notARange", token.substring(0, 20)));
                continue;
            }
            try {
                Cidr cidr = Cidr.parse(token);
                if (cidr.bits() == 0) {
                    errors.add("sourceCidrs", rules.text("request.cidrs.everything", token));
                    continue;
                }
                for (Cidr earlier : parsed) {
                    if (earlier.overlaps(cidr)) {
                        errors.add("sourceCidrs", rules.text("request.cidrs.overlap", token, earlier.notation()));
                    }
                }
                parsed.add(cidr);
                cidrs.add(cidr.notation());
            } catch (Cidr.Invalid e) {
                errors.add("sourceCidrs", rules.text(e.key(), e.args()));
            }
        }
        return cidrs;
    }

    static List<String> tokens(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String t : SPLIT.split(text.strip())) {
            if (!t.isBlank()) {
                out.add(t.strip());
            }
        }
        return List.copyOf(out);
    }

    /** Stripped, unless longer than {@code limit}: then the size rule refuses it as it is. */
    private static String strip(String text, int limit) {
        return text == null || text.length() > limit ? text : text.strip();
    }
}
