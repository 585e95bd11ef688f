package com.bedrockportal.request;

import java.math.BigDecimal;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Request settings ({@code portal.requests.*}).
 *
 * @param regions            the AWS regions requesters may choose
 * @param defaultLifetimeDays the key lifetime the form proposes
 * @param maxLifetimeDays    the longest key lifetime allowed (AWS allows far more; the runbook says 90)
 * @param maxMonthlyBudget   the largest monthly budget a request may ask for, in USD
 * @param maxSourceCidrs     how many source-IP ranges a request may list
 * @param defaultRegion      the region the form proposes
 */
@ConfigurationProperties("portal.requests")
public record RequestProperties(
        @DefaultValue({ "us-east-1", "us-east-2", "us-west-2", "eu-central-1", "eu-west-1", "eu-west-3",
                "ap-northeast-1" }) List<String> regions,
        @DefaultValue("30") int defaultLifetimeDays,
        @DefaultValue("90") int maxLifetimeDays,
        @DefaultValue("100000") BigDecimal maxMonthlyBudget,
        @DefaultValue("20") int maxSourceCidrs,
        @DefaultValue("us-east-1") String defaultRegion) {
}
