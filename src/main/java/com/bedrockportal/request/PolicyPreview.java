package com.bedrockportal.request;

import java.util.List;
import java.util.Map;

/** The exact policy JSON and tags approval will create, plus what is still missing for a complete request. */
public record PolicyPreview(String policyJson, Map<String, String> tags, String iamUserName, List<String> notes) {
}
