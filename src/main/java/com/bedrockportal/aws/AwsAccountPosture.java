package com.bedrockportal.aws;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.bedrockportal.provisioning.AccountPosture;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.CloudException.Kind;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.LoggingConfig;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedEventSelector;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedFieldSelector;
import software.amazon.awssdk.services.cloudtrail.model.EventSelector;
import software.amazon.awssdk.services.cloudtrail.model.GetEventSelectorsResponse;
import software.amazon.awssdk.services.cloudtrail.model.GetTrailStatusResponse;
import software.amazon.awssdk.services.costexplorer.CostExplorerClient;
import software.amazon.awssdk.services.costexplorer.model.CostAllocationTag;
import software.amazon.awssdk.services.costexplorer.model.CostAllocationTagStatus;
import software.amazon.awssdk.services.costexplorer.model.ListCostAllocationTagsResponse;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The account posture from AWS: CloudTrail's trails in the portal's region ({@code DescribeTrails} with shadow trails,
 * then per trail {@code GetTrailStatus} and {@code GetEventSelectors}, asked in the trail's home region by ARN),
 * Bedrock's {@code GetModelInvocationLoggingConfiguration} per region, Cost Explorer's {@code ListCostAllocationTags}
 * and STS's caller identity. Read-only.
 */
class AwsAccountPosture implements AccountPosture {

    static final String BEDROCK_SOURCE = "bedrock.amazonaws.com";
    static final int MAX_TRAILS = 10;
    static final int MAX_TAG_PAGES = 10;

    private final AwsClients clients;
    private final String region;
    private final Map<String, CloudTrailClient> trails = new ConcurrentHashMap<>();
    private final CostExplorerClient costs;
    private final StsClient sts;

    AwsAccountPosture(AwsClients clients, AwsProperties properties) {
        this.clients = clients;
        this.region = properties.region();
        this.costs = clients.costExplorer();
        this.sts = clients.sts();
    }

    private CloudTrailClient trailClient(String home) {
        return trails.computeIfAbsent(home == null || home.isBlank() ? region : home,
                r -> clients.cloudTrail(Region.of(r)));
    }

    @Override
    public List<Trail> trails() {
        List<software.amazon.awssdk.services.cloudtrail.model.Trail> found = AwsCloudAccount.call("DescribeTrails",
                () -> trailClient(region).describeTrails(r -> r.includeShadowTrails(true)).trailList());
        List<Trail> result = new ArrayList<>();
        for (var t : found.stream().limit(MAX_TRAILS).toList()) {
            CloudTrailClient home = trailClient(t.homeRegion());
            GetTrailStatusResponse status = AwsCloudAccount.call("GetTrailStatus",
                    () -> home.getTrailStatus(r -> r.name(t.trailARN())));
            GetEventSelectorsResponse selectors = AwsCloudAccount.call("GetEventSelectors",
                    () -> home.getEventSelectors(r -> r.trailName(t.trailARN())));
            result.add(new Trail(t.name(), t.trailARN(), t.homeRegion(), Boolean.TRUE.equals(t.isMultiRegionTrail()),
                    Boolean.TRUE.equals(t.isOrganizationTrail()), Boolean.TRUE.equals(status.isLogging()),
                    managementEvents(selectors), bedrockExcluded(selectors), blankToNull(status.latestDeliveryError())));
        }
        return List.copyOf(result);
    }

    /** Which management events the selectors log: basic ones by ReadWriteType, advanced ones by their readOnly field. */
    static ManagementEvents managementEvents(GetEventSelectorsResponse selectors) {
        Set<ManagementEvents> kinds = EnumSet.noneOf(ManagementEvents.class);
        for (EventSelector s : selectors.eventSelectors()) {
            if (!Boolean.FALSE.equals(s.includeManagementEvents())) {
                kinds.add(switch (s.readWriteTypeAsString() == null ? "All" : s.readWriteTypeAsString()) {
                    case "ReadOnly" -> ManagementEvents.READ_ONLY;
                    case "WriteOnly" -> ManagementEvents.WRITE_ONLY;
                    default -> ManagementEvents.ALL;
                });
            }
        }
        for (AdvancedEventSelector s : selectors.advancedEventSelectors()) {
            if (!field(s, "eventCategory").map(f -> f.equalsValue().contains("Management")).orElse(false)) {
                continue;
            }
            List<String> readOnly = field(s, "readOnly").map(AdvancedFieldSelector::equalsValue).orElse(List.of());
            kinds.add(readOnly.equals(List.of("true")) ? ManagementEvents.READ_ONLY
                    : readOnly.equals(List.of("false")) ? ManagementEvents.WRITE_ONLY : ManagementEvents.ALL);
        }
        if (kinds.contains(ManagementEvents.ALL) || kinds.containsAll(EnumSet.of(ManagementEvents.READ_ONLY,
                ManagementEvents.WRITE_ONLY))) {
            return ManagementEvents.ALL;
        }
        return kinds.isEmpty() ? ManagementEvents.NONE : kinds.iterator().next();
    }

    /** A selector that leaves Bedrock's events out (ExcludeManagementEventSources, or eventSource NotEquals). */
    static boolean bedrockExcluded(GetEventSelectorsResponse selectors) {
        return selectors.eventSelectors().stream().anyMatch(s -> s.excludeManagementEventSources()
                .contains(BEDROCK_SOURCE))
                || selectors.advancedEventSelectors().stream().anyMatch(s -> field(s, "eventSource")
                        .map(f -> f.notEquals().contains(BEDROCK_SOURCE)).orElse(false));
    }

    private static java.util.Optional<AdvancedFieldSelector> field(AdvancedEventSelector s, String name) {
        return s.fieldSelectors().stream().filter(f -> name.equals(f.field())).findFirst();
    }

    @Override
    public InvocationLogging invocationLogging(String bedrockRegion) {
        return AwsCloudAccount.call("GetModelInvocationLoggingConfiguration", () -> {
            try (BedrockClient bedrock = clients.bedrock(Region.of(bedrockRegion))) {
                LoggingConfig config = bedrock.getModelInvocationLoggingConfiguration(r -> { }).loggingConfig();
                String logGroup = config == null || config.cloudWatchConfig() == null ? null
                        : blankToNull(config.cloudWatchConfig().logGroupName());
                String bucket = config == null || config.s3Config() == null ? null
                        : blankToNull(config.s3Config().bucketName());
                return new InvocationLogging(bedrockRegion, logGroup != null || bucket != null, logGroup, bucket,
                        config != null && Boolean.TRUE.equals(config.textDataDeliveryEnabled()));
            }
        });
    }

    @Override
    public Map<String, TagStatus> costAllocationTags(List<String> tagKeys) {
        if (tagKeys.isEmpty() || tagKeys.size() > 100) {
            throw new CloudException(Kind.INVALID_INPUT, "ListCostAllocationTags", "TagKeys: 1 to 100 keys");
        }
        return AwsCloudAccount.call("ListCostAllocationTags", () -> {
            Map<String, TagStatus> statuses = new LinkedHashMap<>();
            String token = null;
            int pages = 0;
            do {
                String next = token;
                ListCostAllocationTagsResponse page = costs.listCostAllocationTags(r -> r.tagKeys(tagKeys)
                        .nextToken(next));
                for (CostAllocationTag tag : page.costAllocationTags()) {
                    statuses.put(tag.tagKey(), tag.status() == CostAllocationTagStatus.ACTIVE ? TagStatus.ACTIVE
                            : TagStatus.INACTIVE);
                }
                token = page.nextToken();
            } while (token != null && !token.isEmpty() && ++pages < MAX_TAG_PAGES);
            return statuses;
        });
    }

    @Override
    public Credentials credentials() {
        String arn = AwsCloudAccount.call("GetCallerIdentity", () -> sts.getCallerIdentity().arn());
        return new Credentials(kindOf(arn), arn);
    }

    static CredentialKind kindOf(String arn) {
        if (arn.endsWith(":root")) {
            return CredentialKind.ROOT;
        }
        return arn.contains(":user/") ? CredentialKind.IAM_USER : CredentialKind.ROLE;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
