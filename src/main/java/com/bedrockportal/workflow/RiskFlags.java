package com.bedrockportal.workflow;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.DataClassification;

/** The risk flags shown to approvers beside a request. */
final class RiskFlags {

    static final int LONG_LIFETIME_DAYS = 30;

    private RiskFlags() {
    }

    /**
     * @param usualModels the models of the unit's earlier approved requests
     */
    static List<RiskFlag> of(AccessRequest r, BusinessUnit unit, Set<String> usualModels) {
        List<RiskFlag> flags = new ArrayList<>();
        if (r.sourceCidrs().isEmpty()) {
            flags.add(new RiskFlag("NO_IP_RESTRICTION", "No source-IP restriction: the key works from any address."));
        }
        if (r.lifetimeDays() > LONG_LIFETIME_DAYS) {
            flags.add(new RiskFlag("LONG_LIFETIME", "Key lifetime of " + r.lifetimeDays() + " days (over "
                    + LONG_LIFETIME_DAYS + ")."));
        }
        if (unit != null && r.monthlyBudget().compareTo(unit.defaultMonthlyBudget()) > 0) {
            flags.add(new RiskFlag("BUDGET_ABOVE_DEFAULT", "Budget " + r.monthlyBudget().toPlainString()
                    + " USD is above the unit's default of " + unit.defaultMonthlyBudget().toPlainString() + " USD."));
        }
        if (usualModels.isEmpty()) {
            flags.add(new RiskFlag("FIRST_REQUEST", "First approved access for this unit: no usual models yet."));
        } else {
            Set<String> unusual = new LinkedHashSet<>(r.models());
            unusual.removeAll(usualModels);
            if (!unusual.isEmpty()) {
                flags.add(new RiskFlag("NEW_MODELS", "Models outside the unit's usual set: "
                        + String.join(", ", unusual) + "."));
            }
        }
        if (r.dataClassification() == DataClassification.CONFIDENTIAL) {
            flags.add(new RiskFlag("CONFIDENTIAL_DATA", "Confidential data will be sent to the models."));
        }
        return flags;
    }
}
