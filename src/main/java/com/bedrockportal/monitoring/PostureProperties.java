package com.bedrockportal.monitoring;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The account posture page ({@code portal.posture.*}).
 *
 * @param regions          regions whose Bedrock model invocation logging is checked (default: the regions requesters
 *                         may choose); at most 20
 * @param requiredTags     cost-allocation tag keys that must be active (the portal's budgets and spend reports filter
 *                         on them)
 * @param recommendedTags  tag keys the portal sets that are worth activating (amber when not)
 * @param maxBudgets       the most budgets (units plus applications) one check reads; beyond it the line says so
 */
@ConfigurationProperties("portal.posture")
record PostureProperties(List<String> regions, @DefaultValue("business-unit,application") List<String> requiredTags,
        @DefaultValue("cost-center") List<String> recommendedTags, @DefaultValue("300") int maxBudgets) {

    static final int MAX_REGIONS = 20;

    PostureProperties {
        regions = regions == null ? List.of() : regions.stream().map(String::strip).filter(r -> !r.isEmpty())
                .distinct().toList();
        if (regions.size() > MAX_REGIONS) {
            throw new IllegalArgumentException("portal.posture.regions: at most " + MAX_REGIONS + " regions");
        }
        if (maxBudgets < 1 || maxBudgets > 5000) {
            throw new IllegalArgumentException("portal.posture.max-budgets must be 1 to 5000");
        }
        if (requiredTags.size() + recommendedTags.size() > 40) {
            throw new IllegalArgumentException("portal.posture: at most 40 tag keys");
        }
    }
}
