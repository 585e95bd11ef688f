package com.bedrockportal.aws;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.bedrockportal.provisioning.ActivityTrail.TrailEvent;
import com.bedrockportal.provisioning.ApplicationSpend;
import com.bedrockportal.provisioning.BedrockCalls;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.CloudException.Kind;
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
import software.amazon.awssdk.services.costexplorer.model.Group;
import software.amazon.awssdk.services.costexplorer.model.GroupDefinition;
import software.amazon.awssdk.services.costexplorer.model.GroupDefinitionType;
import software.amazon.awssdk.services.costexplorer.model.MetricValue;
import software.amazon.awssdk.services.costexplorer.model.ResultByTime;

/**
 * The usage collection's AWS look-ups.
 * <p>
 * <b>Calls</b>: CloudTrail's event history of the IAM user ({@code LookupEvents}, attribute {@code Username}) in each
 * region of {@code portal.aws.trail.regions} (a Bedrock call is recorded in the region it was made in), pages of 50
 * followed by {@code NextToken}, keeping the events of source {@code bedrock.amazonaws.com} whose name is a runtime
 * operation. Bedrock's runtime calls are <em>management</em> events, so the event history has them for 90 days without
 * a trail. LookupEvents answers two requests a second per account and region: pages are paced at
 * {@value #LOOKUP_PACE_MS} ms per region, and the look-up stops after {@code max} calls.
 * <p>
 * <b>Spend</b>: one {@code GetCostAndUsage} (daily, unblended) of the {@code SERVICE} "Amazon Bedrock", grouped by the
 * two cost-allocation tags of the application's IAM user as Cost Explorer names IAM-principal tags
 * ({@code portal.usage.cost-tag-prefix}, {@code iamPrincipal/} by default, then {@code business-unit} and
 * {@code application}); pages followed by {@code NextPageToken}, at most {@value #MAX_PAGES}, at most
 * {@code maxGroups} groups.
 */
class AwsUsage implements BedrockCalls, ApplicationSpend {

    static final int PAGE = 50;
    static final int MAX_PAGES = 50;
    static final long LOOKUP_PACE_MS = 500;
    static final String BEDROCK_SOURCE = "bedrock.amazonaws.com";
    /** The runtime operations CloudTrail records as management events (bedrock-runtime endpoint). */
    static final Set<String> RUNTIME_EVENTS = Set.of("InvokeModel", "InvokeModelWithResponseStream", "Converse",
            "ConverseStream");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, CloudTrailClient> trails = new LinkedHashMap<>();
    private final Map<String, Instant> lastLookup = new java.util.concurrent.ConcurrentHashMap<>();
    private final CostExplorerClient costs;
    private final String unitTagKey;
    private final String applicationTagKey;
    private final Clock clock;
    private final Duration pace;

    AwsUsage(AwsClients clients, AwsProperties aws, TrailProperties trail, String costTagPrefix, Clock clock,
            Duration pace) {
        Set<String> regions = new LinkedHashSet<>(trail.regions());
        if (regions.isEmpty()) {
            regions.add(aws.region());
        }
        regions.forEach(r -> trails.put(r, clients.cloudTrail(Region.of(r))));
        this.costs = clients.costExplorer();
        String prefix = costTagPrefix == null ? "" : costTagPrefix.strip();
        this.unitTagKey = prefix + AwsCloudAccount.UNIT_TAG;
        this.applicationTagKey = prefix + AwsCloudAccount.APPLICATION_TAG;
        this.clock = clock;
        this.pace = pace;
    }

    // --- BedrockCalls

    @Override
    public Calls callsOfUser(String userName, Instant from, Instant to, int max) {
        if (from.isAfter(to)) {
            throw new CloudException(Kind.INVALID_INPUT, "LookupEvents", "InvalidTimeRangeException: the start time "
                    + "must be before the end time");
        }
        int limit = Math.max(0, Math.min(max, MAX_CALLS));
        List<BedrockCall> calls = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean truncated = false;
        for (Map.Entry<String, CloudTrailClient> region : trails.entrySet()) {
            truncated |= lookUp(region.getKey(), region.getValue(), userName, from, to, limit, calls, seen);
        }
        calls.sort(Comparator.comparing(BedrockCall::time).reversed().thenComparing(BedrockCall::eventId));
        if (calls.size() > limit) {
            truncated = true;
        }
        return new Calls(List.copyOf(calls.subList(0, Math.min(limit, calls.size()))), truncated);
    }

    /** One region's calls, page by page; true when it stopped before the end (more than {@code limit}). */
    private boolean lookUp(String region, CloudTrailClient client, String userName, Instant from, Instant to,
            int limit, List<BedrockCall> into, Set<String> seen) {
        return AwsCloudAccount.call("LookupEvents", () -> {
            int found = 0;
            String token = null;
            int pages = 0;
            do {
                waitForTurn(region);
                String next = token;
                LookupEventsResponse page = client.lookupEvents(r -> r.lookupAttributes(a -> a
                        .attributeKey(LookupAttributeKey.USERNAME).attributeValue(userName)).startTime(from)
                        .endTime(to).maxResults(PAGE).nextToken(next));
                for (Event e : page.events()) {
                    if (BEDROCK_SOURCE.equals(e.eventSource()) && RUNTIME_EVENTS.contains(e.eventName())
                            && seen.add(e.eventId())) {
                        if (found == limit) {
                            return true;
                        }
                        into.add(call(e));
                        found++;
                    }
                }
                token = page.nextToken();
            } while (token != null && !token.isEmpty() && ++pages < MAX_PAGES * 4);
            return token != null && !token.isEmpty();
        });
    }

    /** Keeps LookupEvents under its two requests a second per region: waits until the pace has passed. */
    private void waitForTurn(String region) {
        Instant now = clock.instant();
        Instant last = lastLookup.get(region);
        if (last != null) {
            long wait = Duration.between(now, last.plus(pace)).toMillis();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CloudException(Kind.TRANSIENT, "LookupEvents", "interrupted while pacing", e);
                }
            }
        }
        lastLookup.put(region, clock.instant());
    }

    /** The call with what its record says: the model of the request; CloudTrail records no token counts. */
    static BedrockCall call(Event e) {
        TrailEvent t = AwsEvidence.event(e);
        String model = null;
        try {
            JsonNode record = e.cloudTrailEvent() == null ? null : JSON.readTree(e.cloudTrailEvent());
            JsonNode id = record == null ? null : record.path("requestParameters").path("modelId");
            model = id != null && id.isTextual() && !id.asText().isBlank() ? id.asText() : null;
        } catch (JsonProcessingException ex) {
            // a record that is not JSON names no model
        }
        return new BedrockCall(t.eventId(), t.time(), t.eventName(), model, t.sourceIp(), t.region(), t.errorCode(),
                t.credentialId(), null, null);
    }

    // --- ApplicationSpend

    @Override
    public Report dailyByApplication(LocalDate from, LocalDate to, int maxGroups) {
        if (!from.isBefore(to)) {
            throw new CloudException(Kind.INVALID_INPUT, "GetCostAndUsage", "ValidationException: Start date should "
                    + "be before end date");
        }
        if (ChronoUnit.DAYS.between(from, to) > AwsEvidence.MAX_SPEND_DAYS) {
            throw new CloudException(Kind.INVALID_INPUT, "GetCostAndUsage", "at most " + AwsEvidence.MAX_SPEND_DAYS
                    + " days of daily spend at once");
        }
        int limit = Math.max(0, Math.min(maxGroups, MAX_GROUPS));
        Expression bedrock = Expression.builder().dimensions(DimensionValues.builder().key(Dimension.SERVICE)
                .values(AwsCloudAccount.BEDROCK_SERVICE_FILTER).build()).build();
        List<GroupDefinition> groupBy = List.of(
                GroupDefinition.builder().type(GroupDefinitionType.TAG).key(unitTagKey).build(),
                GroupDefinition.builder().type(GroupDefinitionType.TAG).key(applicationTagKey).build());
        return AwsCloudAccount.call("GetCostAndUsage", () -> {
            Map<List<String>, Boolean> groups = new LinkedHashMap<>();
            List<TaggedSpend> rows = new ArrayList<>();
            BigDecimal untagged = BigDecimal.ZERO;
            boolean truncated = false;
            String token = null;
            int pages = 0;
            do {
                String next = token;
                GetCostAndUsageResponse page = costs.getCostAndUsage(r -> r.timePeriod(t -> t.start(from.toString())
                        .end(to.toString())).granularity(Granularity.DAILY).metrics(AwsEvidence.METRIC)
                        .filter(bedrock).groupBy(groupBy).nextPageToken(next));
                for (ResultByTime result : page.resultsByTime()) {
                    LocalDate day = LocalDate.parse(result.timePeriod().start());
                    for (Group g : result.groups()) {
                        MetricValue cost = g.metrics().get(AwsEvidence.METRIC);
                        if (cost == null || cost.amount() == null) {
                            continue;
                        }
                        BigDecimal amount = new BigDecimal(cost.amount());
                        String unit = tagValue(g.keys(), 0, unitTagKey);
                        String app = tagValue(g.keys(), 1, applicationTagKey);
                        if (unit == null || app == null) {
                            untagged = untagged.add(amount);
                            continue;
                        }
                        List<String> key = List.of(unit, app);
                        if (!groups.containsKey(key) && groups.size() >= limit) {
                            truncated = true;
                            continue;
                        }
                        groups.put(key, Boolean.TRUE);
                        if (amount.signum() != 0) {
                            rows.add(new TaggedSpend(unit, app, day, amount));
                        }
                    }
                }
                token = page.nextPageToken();
            } while (token != null && !token.isEmpty() && ++pages < MAX_PAGES);
            return new Report(List.copyOf(rows), untagged, truncated || token != null && !token.isEmpty());
        });
    }

    /**
     * A group's tag value: Cost Explorer names a TAG group {@code key$value} (in the order of the GroupBy), and
     * {@code key$} for cost without that tag (then null).
     */
    static String tagValue(List<String> keys, int index, String tagKey) {
        if (keys == null || keys.size() <= index) {
            return null;
        }
        String k = keys.get(index);
        int dollar = k.indexOf('$');
        String value = dollar < 0 ? k : k.substring(dollar + 1);
        if (dollar >= 0 && !k.substring(0, dollar).equals(tagKey)) {
            return null;
        }
        return value.isEmpty() ? null : value;
    }
}
