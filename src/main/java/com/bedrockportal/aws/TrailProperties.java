package com.bedrockportal.aws;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the portal looks for CloudTrail events ({@code portal.aws.trail.*}). CloudTrail's event history is regional:
 * a Bedrock call is recorded in the region it was made in (refused ones included), IAM's calls in us-east-1.
 *
 * @param regions the regions to look in; empty: the portal's region and us-east-1
 */
@ConfigurationProperties("portal.aws.trail")
record TrailProperties(List<String> regions) {

    TrailProperties {
        regions = regions == null ? List.of() : regions.stream().map(String::strip).filter(r -> !r.isEmpty())
                .distinct().toList();
    }
}
