package com.bedrockportal.provisioning;

import java.util.LinkedHashMap;
import java.util.Map;

/** The tags every AWS resource the portal creates for a request carries (cost allocation, ownership, audit). */
public final class ResourceTags {

    public static final String CREATED_BY = "bedrock-access-portal";

    private ResourceTags() {
    }

    public static Map<String, String> forRequest(String businessUnitSlug, String applicationSlug, String costCenter,
            String ownerEmail, long requestId, String dataClassification) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("business-unit", businessUnitSlug);
        tags.put("application", applicationSlug);
        tags.put("purpose", "bedrock");
        tags.put("owner", ownerEmail);
        tags.put("cost-center", costCenter);
        tags.put("created-by", CREATED_BY);
        tags.put("request-id", requestId <= 0 ? "(assigned on submit)" : Long.toString(requestId));
        tags.put("data-classification", dataClassification);
        return tags;
    }
}
