package com.bedrockportal.aws;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.bedrockportal.provisioning.ActivityTrail;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.CloudException.Kind;
import com.bedrockportal.provisioning.SpendReports;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.costexplorer.CostExplorerClient;
import software.amazon.awssdk.services.costexplorer.model.Dimension;
import software.amazon.awssdk.services.costexplorer.model.DimensionValues;
import software.amazon.awssdk.services.costexplorer.model.Expression;
import software.amazon.awssdk.services.costexplorer.model.GetCostAndUsageResponse;
import software.amazon.awssdk.services.costexplorer.model.Granularity;
import software.amazon.awssdk.services.costexplorer.model.MetricValue;
import software.amazon.awssdk.services.costexplorer.model.ResultByTime;
import software.amazon.awssdk.services.costexplorer.model.TagValues;

/**
 * The evidence a compromise case gathers, from AWS: CloudTrail's event history ({@code LookupEvents}) and Cost
 * Explorer ({@code GetCostAndUsage}).
 * <p>
 * An IAM user's events are of two kinds, found by two look-ups: the calls made <em>as</em> the user (its keys' Bedrock
 * calls; attribute {@code Username}), in every region of {@code portal.aws.trail.regions} since CloudTrail records a
 * call in its region; and the calls made <em>on</em> the user by anyone (the portal's IAM calls, a key created in the
 * console; attribute {@code ResourceName}), which IAM records in us-east-1. The newest {@code max} of them all are
 * returned; each look-up reads pages of 50 only until it has {@code max}.
 * <p>
 * Spend: unblended cost per day of the {@code SERVICE} "Amazon Bedrock" and the unit's (and application's)
 * cost-allocation tags — the filter of the application's budget.
 */
class AwsEvidence implements ActivityTrail, SpendReports {

    static final int PAGE = 50;
    /** Pages of one Cost Explorer report followed at most (a daily report of a year is a few pages). */
    static final int MAX_COST_PAGES = 20;
    /** The longest spend report one call answers (Cost Explorer keeps 13 months of daily data by default). */
    static final int MAX_SPEND_DAYS = 400;
    static final String METRIC = "UnblendedCost";
    private static final String IAM_REGION = "us-east-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, CloudTrailClient> trails = new LinkedHashMap<>();
    private final CostExplorerClient costs;

    AwsEvidence(AwsClients clients, AwsProperties aws, TrailProperties trail) {
        Set<String> regions = new LinkedHashSet<>(trail.regions());
        if (regions.isEmpty()) {
            regions.add(aws.region());
        }
        regions.add(IAM_REGION);
        regions.forEach(r -> trails.put(r, clients.cloudTrail(Region.of(r))));
        this.costs = clients.costExplorer();
    }

    // --- ActivityTrail

    @Override
    public List<TrailEvent> eventsOfUser(String userName, Instant from, Instant to, int max) {
        if (from.isAfter(to)) {
            throw new CloudException(Kind.INVALID_INPUT, "LookupEvents", "InvalidTimeRangeException: the start time "
                    + "must be before the end time");
        }
        int limit = Math.min(max, MAX_EVENTS);
        if (limit <= 0) {
            return List.of();
        }
        Map<String, TrailEvent> byId = new LinkedHashMap<>();
        trails.forEach((region, client) -> {
            lookUp(client, LookupAttributeKey.USERNAME, userName, from, to, limit).forEach(e -> byId.putIfAbsent(
                    e.eventId(), e));
            if (IAM_REGION.equals(region)) {
                lookUp(client, LookupAttributeKey.RESOURCE_NAME, userName, from, to, limit).forEach(e -> byId
                        .putIfAbsent(e.eventId(), e));
            }
        });
        return byId.values().stream().sorted(Comparator.comparing(TrailEvent::time).reversed()
                .thenComparing(TrailEvent::eventId)).limit(limit).toList();
    }

    /** One look-up's newest {@code limit} events, page by page (CloudTrail answers newest first). */
    private static List<TrailEvent> lookUp(CloudTrailClient client, LookupAttributeKey key, String value,
            Instant from, Instant to, int limit) {
        return AwsCloudAccount.call("LookupEvents", () -> {
            List<TrailEvent> events = new ArrayList<>();
            String token = null;
            do {
                String next = token;
                LookupEventsResponse page = client.lookupEvents(r -> r.lookupAttributes(a -> a.attributeKey(key)
                        .attributeValue(value)).startTime(from).endTime(to).maxResults(PAGE).nextToken(next));
                for (Event e : page.events()) {
                    if (events.size() < limit) {
                        events.add(event(e));
                    }
                }
                token = page.nextToken();
            } while (token != null && !token.isEmpty() && events.size() < limit);
            return events;
        });
    }

    /** The event with what its record ({@code CloudTrailEvent}, a JSON string) says of where and how it came. */
    static TrailEvent event(Event e) {
        JsonNode record;
        try {
            record = e.cloudTrailEvent() == null ? JSON.createObjectNode() : JSON.readTree(e.cloudTrailEvent());
        } catch (JsonProcessingException ex) {
            record = JSON.createObjectNode();
        }
        String credential = text(record.path("userIdentity").path("accessKeyId"));
        return new TrailEvent(e.eventId(), e.eventTime(), e.eventName(), e.eventSource(),
                text(record.path("sourceIPAddress")), text(record.path("userAgent")), text(record.path("awsRegion")),
                text(record.path("errorCode")), credential != null ? credential : blankToNull(e.accessKeyId()));
    }

    private static String text(JsonNode node) {
        return node.isValueNode() ? blankToNull(node.asText()) : null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    // --- SpendReports

    @Override
    public List<DailySpend> dailySpend(String businessUnitTag, String applicationTag, LocalDate from, LocalDate to) {
        if (!from.isBefore(to)) {
            throw new CloudException(Kind.INVALID_INPUT, "GetCostAndUsage", "ValidationException: Start date should "
                    + "be before end date");
        }
        if (ChronoUnit.DAYS.between(from, to) > MAX_SPEND_DAYS) {
            throw new CloudException(Kind.INVALID_INPUT, "GetCostAndUsage", "at most " + MAX_SPEND_DAYS
                    + " days of daily spend at once");
        }
        Expression filter = filter(businessUnitTag, applicationTag);
        TreeMap<LocalDate, BigDecimal> days = new TreeMap<>();
        from.datesUntil(to).forEach(d -> days.put(d, BigDecimal.ZERO));
        AwsCloudAccount.call("GetCostAndUsage", () -> {
            String token = null;
            int pages = 0;
            do {
                String next = token;
                GetCostAndUsageResponse page = costs.getCostAndUsage(r -> r.timePeriod(t -> t.start(from.toString())
                        .end(to.toString())).granularity(Granularity.DAILY).metrics(METRIC).filter(filter)
                        .nextPageToken(next));
                for (ResultByTime result : page.resultsByTime()) {
                    LocalDate day = LocalDate.parse(result.timePeriod().start());
                    MetricValue cost = result.total().get(METRIC);
                    if (days.containsKey(day) && cost != null && cost.amount() != null) {
                        days.merge(day, new BigDecimal(cost.amount()), BigDecimal::add);
                    }
                }
                token = page.nextPageToken();
            } while (token != null && !token.isEmpty() && ++pages < MAX_COST_PAGES);
            return null;
        });
        return days.entrySet().stream().map(e -> new DailySpend(e.getKey(), e.getValue())).toList();
    }

    /** Amazon Bedrock AND the unit's tag (AND the application's tag): as the application's budget filters. */
    static Expression filter(String businessUnitTag, String applicationTag) {
        List<Expression> and = new ArrayList<>(List.of(
                Expression.builder().dimensions(DimensionValues.builder().key(Dimension.SERVICE)
                        .values(AwsCloudAccount.BEDROCK_SERVICE_FILTER).build()).build(),
                Expression.builder().tags(TagValues.builder().key(AwsCloudAccount.UNIT_TAG).values(businessUnitTag)
                        .build()).build()));
        if (applicationTag != null) {
            and.add(Expression.builder().tags(TagValues.builder().key(AwsCloudAccount.APPLICATION_TAG)
                    .values(applicationTag).build()).build());
        }
        return Expression.builder().and(and).build();
    }
}
