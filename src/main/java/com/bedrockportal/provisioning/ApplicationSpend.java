package com.bedrockportal.provisioning;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * Port of the usage collection: Amazon Bedrock's daily unblended cost of every application at once — Cost Explorer's
 * {@code GetCostAndUsage} filtered to the {@code SERVICE} "Amazon Bedrock" and grouped by the business-unit and
 * application cost-allocation tags the portal sets on each application's IAM user (Bedrock attributes a call's cost
 * to the calling IAM principal and its tags). Implemented by the AWS SDK adapter and the simulated account. Failures
 * are {@link CloudException}s.
 */
public interface ApplicationSpend {

    /** The most groups (unit and application pairs) one report keeps, whatever the caller asks. */
    int MAX_GROUPS = 5000;

    /** One application's (its unit's and its own tag value's) spend on one day, in USD. */
    record TaggedSpend(String businessUnitTag, String applicationTag, LocalDate day, BigDecimal amountUsd) {
    }

    /**
     * The report: rows with a non-zero amount; {@code untaggedUsd} the Bedrock cost of the period that carried no
     * application tag (callers outside the portal, or tags not activated); {@code truncated} when more than
     * {@code maxGroups} groups were left out.
     */
    record Report(List<TaggedSpend> rows, BigDecimal untaggedUsd, boolean truncated) {
    }

    /** Daily spend from {@code from} (inclusive) to {@code to} (exclusive), grouped by unit and application tag. */
    Report dailyByApplication(LocalDate from, LocalDate to, int maxGroups);
}
