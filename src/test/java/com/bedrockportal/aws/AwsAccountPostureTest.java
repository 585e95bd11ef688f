package com.bedrockportal.aws;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.bedrockportal.provisioning.AccountPosture;
import com.bedrockportal.provisioning.AccountPosture.CredentialKind;
import com.bedrockportal.provisioning.AccountPosture.ManagementEvents;
import com.bedrockportal.provisioning.AccountPosture.TagStatus;
import com.bedrockportal.provisioning.AccountPostureContract;
import com.bedrockportal.provisioning.CloudException;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SDK adapter of the account posture against WireMock stubs shaped from the API references (moto implements none
 * of these): CloudTrail {@code DescribeTrails}, {@code GetTrailStatus}, {@code GetEventSelectors} (JSON 1.1), Bedrock
 * {@code GetModelInvocationLoggingConfiguration} (REST, {@code GET /logging/modelinvocations}), Cost Explorer
 * {@code ListCostAllocationTags} (JSON 1.1) and STS {@code GetCallerIdentity} (query/XML). Each test asserts what
 * goes over the wire and what is read from the answer. SDK retries are off.
 */
class AwsAccountPostureTest implements AccountPostureContract {

    static final String TRAIL = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
    static final String TAGS = "AWSInsightsIndexService.ListCostAllocationTags";
    static final String ARN = "arn:aws:cloudtrail:us-east-1:123456789012:trail/";
    static WireMockServer aws;
    static AwsAccountPosture posture;

    @BeforeAll
    static void start() {
        aws = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        aws.start();
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLETESTONLY");
        System.setProperty("aws.secretAccessKey", "test-secret-not-real");
        AwsProperties properties = new AwsProperties("aws", "us-east-1", URI.create(aws.baseUrl()),
                Duration.ofSeconds(10), "off");
        posture = new AwsAccountPosture(new AwsClients(properties), properties);
    }

    @AfterAll
    static void stop() {
        aws.stop();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @BeforeEach
    void reset() {
        aws.resetAll();
        aws.stubFor(post(urlEqualTo("/")).atPriority(10).withRequestBody(containing("Action=GetCallerIdentity"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody("""
                        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                          <GetCallerIdentityResult>
                            <Arn>arn:aws:sts::123456789012:assumed-role/bedrock-portal/i-0123456789abcdef0</Arn>
                            <UserId>AROAEXAMPLEROLEID:i-0123456789abcdef0</UserId>
                            <Account>123456789012</Account>
                          </GetCallerIdentityResult>
                          <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
                        </GetCallerIdentityResponse>""")));
    }

    static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
    }

    static MappingBuilder target(String operation) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(operation));
    }

    /** DescribeTrails lists the trails; GetTrailStatus and GetEventSelectors answer for each by its ARN. */
    static void trail(String name, boolean multiRegion, boolean logging, String deliveryError, String selectors) {
        aws.stubFor(target(TRAIL + "DescribeTrails").willReturn(json("""
                {"trailList": [{"Name": "%s", "TrailARN": "%s%s", "HomeRegion": "us-east-1",
                  "S3BucketName": "org-cloudtrail-logs", "IncludeGlobalServiceEvents": true,
                  "IsMultiRegionTrail": %s, "IsOrganizationTrail": false, "LogFileValidationEnabled": true,
                  "HasCustomEventSelectors": true, "HasInsightSelectors": false}]}""".formatted(name, ARN, name,
                multiRegion))));
        aws.stubFor(target(TRAIL + "GetTrailStatus").withRequestBody(matchingJsonPath("$.Name", equalTo(ARN + name)))
                .willReturn(json("""
                        {"IsLogging": %s, "LatestDeliveryTime": 1767225600.0, "StartLoggingTime": 1735689600.0
                        %s}""".formatted(logging, deliveryError == null ? ""
                        : ", \"LatestDeliveryError\": \"" + deliveryError + "\""))));
        aws.stubFor(target(TRAIL + "GetEventSelectors").withRequestBody(matchingJsonPath("$.TrailName",
                equalTo(ARN + name))).willReturn(json("{\"TrailARN\": \"" + ARN + name + "\", " + selectors + "}")));
    }

    static final String ALL_MANAGEMENT = """
            "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true, "DataResources": [],
              "ExcludeManagementEventSources": []}]""";

    // --- contract

    @Override
    public AccountPosture accountPosture() {
        return posture;
    }

    @Override
    public String arrangeLoggingTrail() {
        trail("org-trail", true, true, null, ALL_MANAGEMENT);
        return "org-trail";
    }

    @Override
    public void arrangeInvocationLogging(String region, boolean on) {
        aws.stubFor(get(urlEqualTo("/logging/modelinvocations")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(on ? """
                        {"loggingConfig": {"cloudWatchConfig": {"logGroupName": "/aws/bedrock/model-invocations",
                          "roleArn": "arn:aws:iam::123456789012:role/bedrock-logging"},
                          "textDataDeliveryEnabled": true, "imageDataDeliveryEnabled": false,
                          "embeddingDataDeliveryEnabled": false}}""" : "{}")));
    }

    @Override
    public void arrangeActiveTags(List<String> keys) {
        StringBuilder tags = new StringBuilder();
        for (String k : keys) {
            tags.append(tags.isEmpty() ? "" : ",").append("""
                    {"TagKey": "%s", "Type": "UserDefined", "Status": "Active",
                     "LastUpdatedDate": "2026-01-05T10:00:00Z", "LastUsedDate": "2026-02-01T00:00:00Z"}""".formatted(k));
        }
        aws.stubFor(target(TAGS).willReturn(json("{\"CostAllocationTags\": [" + tags + "]}")));
    }

    // --- what goes over the wire, and the answers only AWS gives

    @Test
    void describeTrailsAsksForShadowTrailsAndEachTrailIsAskedByItsArn() {
        arrangeLoggingTrail();
        posture.trails();
        aws.verify(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TRAIL + "DescribeTrails"))
                .withHeader("Content-Type", equalTo("application/x-amz-json-1.1"))
                .withRequestBody(equalToJson("{\"includeShadowTrails\": true}")));
        aws.verify(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TRAIL + "GetTrailStatus"))
                .withRequestBody(equalToJson("{\"Name\": \"" + ARN + "org-trail\"}")));
        aws.verify(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TRAIL + "GetEventSelectors"))
                .withRequestBody(equalToJson("{\"TrailName\": \"" + ARN + "org-trail\"}")));
    }

    @Test
    void aStoppedSingleRegionTrailWithADeliveryErrorIsReadAsSuch() {
        trail("old-trail", false, false, "NoSuchBucket", ALL_MANAGEMENT);
        AccountPosture.Trail t = posture.trails().get(0);
        assertThat(t.logging()).isFalse();
        assertThat(t.multiRegion()).isFalse();
        assertThat(t.homeRegion()).isEqualTo("us-east-1");
        assertThat(t.latestDeliveryError()).isEqualTo("NoSuchBucket");
    }

    @Test
    void advancedSelectorsWithReadOnlyTrueLogOnlyReadEvents() {
        trail("reads", true, true, null, """
                "AdvancedEventSelectors": [{"Name": "Management events, read only", "FieldSelectors": [
                  {"Field": "eventCategory", "Equals": ["Management"]}, {"Field": "readOnly", "Equals": ["true"]}]}]""");
        assertThat(posture.trails().get(0).managementEvents()).isEqualTo(ManagementEvents.READ_ONLY);
    }

    @Test
    void advancedSelectorsThatLeaveOutBedrockAreSeen() {
        trail("no-bedrock", true, true, null, """
                "AdvancedEventSelectors": [{"Name": "Management events but Bedrock", "FieldSelectors": [
                  {"Field": "eventCategory", "Equals": ["Management"]},
                  {"Field": "eventSource", "NotEquals": ["bedrock.amazonaws.com"]}]}]""");
        AccountPosture.Trail t = posture.trails().get(0);
        assertThat(t.managementEvents()).isEqualTo(ManagementEvents.ALL);
        assertThat(t.bedrockExcluded()).isTrue();
    }

    @Test
    void aTrailLoggingOnlyDataEventsLogsNoManagementEvents() {
        trail("data-only", true, true, null, """
                "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": false,
                  "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]}]""");
        assertThat(posture.trails().get(0).managementEvents()).isEqualTo(ManagementEvents.NONE);
    }

    @Test
    void noTrailIsAnEmptyList() {
        aws.stubFor(target(TRAIL + "DescribeTrails").willReturn(json("{\"trailList\": []}")));
        assertThat(posture.trails()).isEmpty();
    }

    @Test
    void invocationLoggingIsAGetWithoutBodyAndAnS3DestinationCountsToo() {
        aws.stubFor(get(urlEqualTo("/logging/modelinvocations")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"loggingConfig": {"s3Config": {"bucketName": "bedrock-invocations", "keyPrefix": "logs/"},
                          "textDataDeliveryEnabled": false}}""")));
        AccountPosture.InvocationLogging logging = posture.invocationLogging("eu-central-1");
        assertThat(logging.enabled()).isTrue();
        assertThat(logging.bucket()).isEqualTo("bedrock-invocations");
        assertThat(logging.logGroup()).isNull();
        assertThat(logging.text()).isFalse();
        aws.verify(getRequestedFor(urlEqualTo("/logging/modelinvocations")));
    }

    @Test
    void aRefusedInvocationLoggingQuestionIsAccessDenied() {
        aws.stubFor(get(urlEqualTo("/logging/modelinvocations")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-ErrorType", "AccessDeniedException:http://internal.amazon.com/coral/")
                .withBody("{\"message\": \"User: arn:aws:sts::123456789012:assumed-role/bedrock-portal/i-0 is not "
                        + "authorized to perform: bedrock:GetModelInvocationLoggingConfiguration\"}")));
        assertThatThrownBy(() -> posture.invocationLogging("us-east-1")).isInstanceOfSatisfying(CloudException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(CloudException.Kind.ACCESS_DENIED);
                    assertThat(e.operation()).isEqualTo("GetModelInvocationLoggingConfiguration");
                });
    }

    @Test
    void costAllocationTagsAreAskedByKeyAndInactiveOrUnlistedKeysAreTold() {
        aws.stubFor(target(TAGS).willReturn(json("""
                {"CostAllocationTags": [
                  {"TagKey": "business-unit", "Type": "UserDefined", "Status": "Active"},
                  {"TagKey": "iamPrincipal/application", "Type": "UserDefined", "Status": "Inactive"}]}""")));
        Map<String, TagStatus> statuses = posture.costAllocationTags(List.of("business-unit", "application",
                "iamPrincipal/application"));
        assertThat(statuses).containsExactly(Map.entry("business-unit", TagStatus.ACTIVE),
                Map.entry("iamPrincipal/application", TagStatus.INACTIVE));
        aws.verify(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TAGS))
                .withRequestBody(equalToJson("{\"TagKeys\": [\"business-unit\", \"application\", "
                        + "\"iamPrincipal/application\"]}")));
    }

    /** The SDK interceptor counts each call once, by operation and outcome, as the ports classify failures. */
    @Test
    void everyCallIsCountedByOperationAndOutcome() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        AwsProperties properties = new AwsProperties("aws", "us-east-1", URI.create(aws.baseUrl()),
                Duration.ofSeconds(10), "off");
        AwsAccountPosture counted = new AwsAccountPosture(new AwsClients(properties, List.of(new AwsCallMetrics(
                com.bedrockportal.provisioning.CloudCallMetrics.on(registry)))), properties);
        arrangeInvocationLogging("us-east-1", true);
        counted.invocationLogging("us-east-1");
        counted.invocationLogging("us-east-1");
        aRefusedInvocationLoggingQuestionIsAccessDenied();
        assertThatThrownBy(() -> counted.invocationLogging("us-east-1")).isInstanceOf(CloudException.class);
        assertThat(registry.counter("portal.aws.calls", "operation", "GetModelInvocationLoggingConfiguration",
                "outcome", "success").count()).isEqualTo(2);
        assertThat(registry.counter("portal.aws.calls", "operation", "GetModelInvocationLoggingConfiguration",
                "outcome", "ACCESS_DENIED").count()).isEqualTo(1);
    }

    @Test
    void anAssumedRoleIsARoleAndAUserIsAUser() {
        assertThat(posture.credentials()).isEqualTo(new AccountPosture.Credentials(CredentialKind.ROLE,
                "arn:aws:sts::123456789012:assumed-role/bedrock-portal/i-0123456789abcdef0"));
        assertThat(AwsAccountPosture.kindOf("arn:aws:iam::123456789012:user/portal")).isEqualTo(
                CredentialKind.IAM_USER);
        assertThat(AwsAccountPosture.kindOf("arn:aws:iam::123456789012:root")).isEqualTo(CredentialKind.ROOT);
    }
}
