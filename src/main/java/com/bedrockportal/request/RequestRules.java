package com.bedrockportal.request;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.shared.FieldErrors;

/**
 * Server-side rules for every field of a request. Collects all problems at once, each under its field; nothing is
 * saved unless there are none.
 */
final class RequestRules {

    /** A request that passed every rule, with its lists parsed. */
    record Valid(BusinessUnit unit, String purpose, List<CatalogModel> models, List<String> regions,
            List<String> sourceCidrs, int lifetimeDays, BigDecimal monthlyBudget, int alertThreshold,
            List<String> alertEmails, boolean storeSecret, String ownerEmail, DataClassification classification) {
    }

    static final int PURPOSE_MIN = 20;
    static final int PURPOSE_MAX = 2000;
    static final int MAX_ALERT_EMAILS = 10;
    /** Longest text of one e-mail address and of one source-IP range (IPv6 with prefix: 43). */
    static final int EMAIL_MAX = 320;
    static final int CIDR_TEXT_MAX = 50;
    /** Most models one request may name: checked before any look-up. */
    static final int MAX_MODELS = 50;
    private static final Pattern EMAIL = Pattern.compile("^[^\\s@<>\"(),;]{1,64}@[^\\s@<>\"(),;]+\\.[^\\s@<>\"(),;]{2,}$");
    private static final Pattern SPLIT = Pattern.compile("[,;\\s]+");

    private RequestRules() {
    }

    static Valid validate(RequestDraft d, List<BusinessUnit> unitsOfUser, Map<String, CatalogModel> catalog,
            RequestProperties props) {
        FieldErrors.Collector errors = new FieldErrors.Collector();

        BusinessUnit unit = null;
        if (d.getBusinessUnitId() == null) {
            errors.add("businessUnit", "Choose the business unit this access is for.");
        } else {
            unit = unitsOfUser.stream().filter(u -> u.id() == d.getBusinessUnitId()).findFirst().orElse(null);
            if (unit == null) {
                errors.add("businessUnit", "You can only request access for a business unit you are a member of.");
            }
        }

        String purpose = d.getPurpose() == null ? "" : d.getPurpose();
        purpose = purpose.length() > 2 * PURPOSE_MAX ? purpose : purpose.strip();
        if (purpose.isEmpty()) {
            errors.add("purpose", "Describe what the key is for and why the business needs it.");
        } else if (purpose.length() < PURPOSE_MIN) {
            errors.add("purpose", "Say a little more: at least " + PURPOSE_MIN + " characters.");
        } else if (purpose.length() > PURPOSE_MAX) {
            errors.add("purpose", "At most " + PURPOSE_MAX + " characters (now " + purpose.length() + ").");
        } else if (purpose.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            errors.add("purpose", "Remove the control characters.");
        }

        List<CatalogModel> models = new ArrayList<>();
        if (d.getModels().isEmpty()) {
            errors.add("models", "Choose at least one model.");
        } else if (d.getModels().size() > MAX_MODELS) {
            errors.add("models", "At most " + MAX_MODELS + " models.");
        }
        for (String id : d.getModels().size() > MAX_MODELS ? List.<String>of() : new LinkedHashSet<>(d.getModels())) {
            CatalogModel model = catalog.get(id);
            if (model == null) {
                errors.add("models", "'" + id + "' is not in the model catalog.");
            } else if (!model.enabled()) {
                errors.add("models", model.displayName() + " is disabled in the catalog; choose another model.");
            } else {
                models.add(model);
            }
        }

        List<String> regions = d.getRegions().size() > props.regions().size() ? List.of()
                : List.copyOf(new LinkedHashSet<>(d.getRegions()));
        if (d.getRegions().size() > props.regions().size()) {
            errors.add("regions", "At most " + props.regions().size() + " regions.");
        } else if (regions.isEmpty()) {
            errors.add("regions", "Choose at least one region.");
        }
        for (String region : regions) {
            if (!props.regions().contains(region)) {
                errors.add("regions", "'" + region + "' is not a region this portal offers (" + String.join(", ",
                        props.regions()) + ").");
            }
        }
        if (!errors.has("models") && !errors.has("regions")) {
            for (CatalogModel model : models) {
                if (regions.stream().noneMatch(model::availableIn)) {
                    errors.add("regions", model.displayName() + " is not offered in " + String.join(", ", regions)
                            + "; it is in " + String.join(", ", model.regions()) + ".");
                }
            }
        }

        // Sizes and counts first, before any parsing: the overlap check compares every range with every other.
        List<String> cidrs = new ArrayList<>();
        String cidrText = d.getSourceCidrs() == null ? "" : d.getSourceCidrs();
        int cidrTextMax = props.maxSourceCidrs() * (CIDR_TEXT_MAX + 2);
        List<String> cidrTokens = cidrText.length() > cidrTextMax ? null : tokens(cidrText);
        if (cidrTokens == null || cidrTokens.size() > props.maxSourceCidrs()) {
            errors.add("sourceCidrs", "At most " + props.maxSourceCidrs() + " ranges"
                    + (cidrTokens == null ? " (" + cidrTextMax + " characters)." : "; you entered " + cidrTokens.size() + "."));
            cidrTokens = List.of();
        }
        List<Cidr> parsed = new ArrayList<>();
        for (String token : cidrTokens) {
            if (token.length() > CIDR_TEXT_MAX) {
                errors.add("sourceCidrs", "'" + token.substring(0, 20) + "…' is not an IP range.");
                continue;
            }
            try {
                Cidr cidr = Cidr.parse(token);
                if (cidr.bits() == 0) {
                    errors.add("sourceCidrs", "'" + token + "' allows every address; leave the field empty instead, "
                            + "or name your networks.");
                    continue;
                }
                for (Cidr earlier : parsed) {
                    if (earlier.overlaps(cidr)) {
                        errors.add("sourceCidrs", "'" + token + "' overlaps '" + earlier.notation() + "'.");
                    }
                }
                parsed.add(cidr);
                cidrs.add(cidr.notation());
            } catch (IllegalArgumentException e) {
                errors.add("sourceCidrs", e.getMessage());
            }
        }

        Integer lifetime = d.getLifetimeDays();
        if (lifetime == null) {
            errors.add("lifetimeDays", "Enter the key lifetime in days (1 to " + props.maxLifetimeDays() + ").");
        } else if (lifetime < 1 || lifetime > props.maxLifetimeDays()) {
            errors.add("lifetimeDays", "The key lifetime must be 1 to " + props.maxLifetimeDays() + " days.");
        }

        BigDecimal budget = d.getMonthlyBudget();
        if (budget == null) {
            errors.add("monthlyBudget", "Enter the monthly budget in USD, as a number.");
        } else if (budget.signum() <= 0) {
            errors.add("monthlyBudget", "The budget must be more than 0 USD.");
        } else if (budget.compareTo(props.maxMonthlyBudget()) > 0) {
            errors.add("monthlyBudget", "At most " + props.maxMonthlyBudget().toPlainString()
                    + " USD a month; ask the platform team for more.");
        } else if (budget.stripTrailingZeros().scale() > 2) {
            errors.add("monthlyBudget", "Use at most two decimal places.");
        }

        Integer threshold = d.getAlertThreshold();
        if (threshold == null || threshold < 1 || threshold > 100) {
            errors.add("alertThreshold", "The alert threshold must be a whole percentage from 1 to 100.");
        }

        String emailText = d.getAlertEmails() == null ? "" : d.getAlertEmails();
        boolean emailTextTooLong = emailText.length() > MAX_ALERT_EMAILS * (EMAIL_MAX + 2);
        List<String> emails = emailTextTooLong ? List.of() : tokens(emailText);
        if (emailTextTooLong || emails.size() > MAX_ALERT_EMAILS) {
            errors.add("alertEmails", "At most " + MAX_ALERT_EMAILS + " addresses.");
        } else if (emails.isEmpty()) {
            errors.add("alertEmails", "Name at least one address that receives budget alerts.");
        }
        if (!errors.has("alertEmails")) {
            emails.stream().filter(e -> e.length() > EMAIL_MAX || !EMAIL.matcher(e).matches()).findFirst()
                    .ifPresent(e -> errors.add("alertEmails", "'" + e + "' is not a valid e-mail address."));
        }

        String owner = d.getOwnerEmail() == null ? "" : d.getOwnerEmail();
        owner = owner.length() > 2 * EMAIL_MAX ? owner : owner.strip();
        if (owner.isEmpty()) {
            errors.add("ownerEmail", "Enter the e-mail of the person who owns this key.");
        } else if (owner.length() > EMAIL_MAX || !EMAIL.matcher(owner).matches()) {
            errors.add("ownerEmail", "Enter a valid e-mail address, e.g. owner@example.com.");
        }

        if (d.getDataClassification() == null) {
            errors.add("dataClassification", "Choose the classification of the data sent to the models.");
        }

        errors.throwIfAny();
        return new Valid(unit, purpose, models, regions, cidrs, lifetime, budget, threshold,
                List.copyOf(new LinkedHashSet<>(emails)), d.isStoreSecret(), owner, d.getDataClassification());
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
}
