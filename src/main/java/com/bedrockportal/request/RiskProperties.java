package com.bedrockportal.request;

import java.math.BigDecimal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Policy lint and cost estimate settings ({@code portal.risk.*}).
 *
 * @param orgMaxKeyLifetimeDays the organisation's longest key lifetime (mirrors an SCP that caps key age, e.g. a
 *                              condition on {@code iam:ServiceSpecificCredentialAgeDays}); longer is refused
 * @param budgetFarAboveFactor  a budget more than this many times the estimate gets a warning
 * @param accessAnalyzer        in aws mode, add IAM Access Analyzer ValidatePolicy findings on the approval page
 */
@ConfigurationProperties("portal.risk")
public record RiskProperties(@DefaultValue("90") int orgMaxKeyLifetimeDays,
        @DefaultValue("5") BigDecimal budgetFarAboveFactor, @DefaultValue("true") boolean accessAnalyzer) {
}
