package com.bedrockportal.aws;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.bedrockportal.provisioning.ActivityTrail;
import com.bedrockportal.provisioning.ActivityTrail.TrailEvent;
import com.bedrockportal.provisioning.ActivityTrailContract;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.SpendReports;
import com.bedrockportal.provisioning.SpendReportsContract;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.bedrockportal.provisioning.Contracts.unique;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK adapter of CloudTrail's {@code LookupEvents} and Cost Explorer's {@code GetCostAndUsage} against WireMock
 * stubs shaped from the API reference (JSON 1.1; moto lacks LookupEvents and answers Cost Explorer with empty
 * results): the same port contracts as the simulated account, plus what goes over the wire. SDK retries are off.
 */
class AwsEvidenceTest implements ActivityTrailContract, SpendReportsContract {

    static final String LOOKUP = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";
    static final String COSTS = "AWSInsightsIndexService.GetCostAndUsage";
    static final ObjectMapper JSON = new ObjectMapper();
    static WireMockServer aws;
    static AwsEvidence evidence;
    static final List<StubMapping> failures = new ArrayList<>();

    @BeforeAll
    static void start() {
        aws = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        aws.start();
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLETESTONLY");
        System.setProperty("aws.secretAccessKey", "test-secret-not-real");
        aws.stubFor(post(urlEqualTo("/")).atPriority(10).withHeader("X-Amz-Target", equalTo(LOOKUP))
                .willReturn(json("{\"Events\":[]}")));
        aws.stubFor(post(urlEqualTo("/")).atPriority(10).withHeader("X-Amz-Target", equalTo(COSTS))
                .willReturn(json("{\"GroupDefinitions\":[],\"ResultsByTime\":[],\"DimensionValueAttributes\":[]}")));
        evidence = adapter(List.of());
    }

    @AfterAll
    static void stop() {
        aws.stop();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    static AwsEvidence adapter(List<String> regions) {
        return new AwsEvidence(new AwsClients(new AwsProperties("aws", "us-east-1", URI.create(aws.baseUrl()),
                Duration.ofSeconds(10), "off")), new AwsProperties("aws", "us-east-1", null, Duration.ofSeconds(10),
                        "off"), new TrailProperties(regions));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
    }

    // --- contracts

    @Override
    public ActivityTrail activityTrail() {
        return evidence;
    }

    @Override
    public SpendReports spendReports() {
        return evidence;
    }

    @Override
    public Instant windowStart() {
        return Instant.parse("2026-02-10T00:00:00Z");
    }

    @Override
    public LocalDate firstDay() {
        return LocalDate.of(2026, 2, 1);
    }

    /** LookupEvents pages of 50, newest first, as CloudTrail serves them for the Username attribute. */
    @Override
    public List<TrailEvent> arrangeEvents(String userName, List<TrailEvent> events) {
        List<TrailEvent> shown = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            TrailEvent e = events.get(i);
            shown.add(new TrailEvent(userName + "-ev-" + i, e.time(), e.eventName(), e.eventSource(), e.sourceIp(),
                    e.userAgent(), e.region(), e.errorCode(), "ACCAEXAMPLEKEY" + (i % 2)));
        }
        List<TrailEvent> newest = shown.stream().sorted(Comparator.comparing(TrailEvent::time).reversed()).toList();
        for (int page = 0; page * 50 < newest.size(); page++) {
            List<TrailEvent> slice = newest.subList(page * 50, Math.min(newest.size(), page * 50 + 50));
            String next = (page + 1) * 50 < newest.size() ? userName + "-page-" + (page + 1) : null;
            MappingBuilder request = lookup(userName, "Username");
            request = page == 0 ? request.withRequestBody(notContaining("NextToken"))
                    : request.withRequestBody(matchingJsonPath("$.NextToken", equalTo(userName + "-page-" + page)));
            aws.stubFor(request.atPriority(5).willReturn(json(lookupResponse(userName, slice, next))));
        }
        return shown;
    }

    static MappingBuilder lookup(String userName, String attribute) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(LOOKUP))
                .withRequestBody(matchingJsonPath("$.LookupAttributes[0].AttributeKey", equalTo(attribute)))
                .withRequestBody(matchingJsonPath("$.LookupAttributes[0].AttributeValue", equalTo(userName)));
    }

    /** A LookupEvents answer as the API reference shows it: CloudTrailEvent is the whole record as a JSON string. */
    static String lookupResponse(String userName, List<TrailEvent> events, String nextToken) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("Events");
        for (TrailEvent e : events) {
            ObjectNode record = JSON.createObjectNode();
            record.put("eventVersion", "1.09");
            record.putObject("userIdentity").put("type", "IAMUser").put("principalId", "AIDAEXAMPLE")
                    .put("arn", "arn:aws:iam::123456789012:user/" + userName).put("accountId", "123456789012")
                    .put("accessKeyId", e.credentialId()).put("userName", userName);
            record.put("eventTime", e.time().toString()).put("eventSource", e.eventSource())
                    .put("eventName", e.eventName()).put("awsRegion", e.region())
                    .put("sourceIPAddress", e.sourceIp()).put("userAgent", e.userAgent());
            if (e.errorCode() != null) {
                record.put("errorCode", e.errorCode()).put("errorMessage", "User: arn:aws:iam::123456789012:user/"
                        + userName + " is not authorized to perform: bedrock:InvokeModel");
            }
            record.putObject("requestParameters").put("modelId", "amazon.nova-lite-v1:0");
            record.putNull("responseElements");
            record.put("requestID", "c9e2a6b1-0000-4000-8000-000000000000").put("eventID", e.eventId())
                    .put("readOnly", true).put("eventType", "AwsApiCall").put("managementEvent", true)
                    .put("recipientAccountId", "123456789012").put("eventCategory", "Management");
            ObjectNode event = list.addObject();
            event.put("EventId", e.eventId()).put("EventName", e.eventName()).put("ReadOnly", "true")
                    .put("AccessKeyId", e.credentialId())
                    .put("EventTime", e.time().getEpochSecond() + e.time().getNano() / 1e9)
                    .put("EventSource", e.eventSource()).put("Username", userName);
            event.putArray("Resources");
            event.put("CloudTrailEvent", record.toString());
        }
        if (nextToken != null) {
            body.put("NextToken", nextToken);
        }
        return body.toString();
    }

    @Override
    public void failLookups(CloudException.Kind kind) {
        fail(LOOKUP, kind);
    }

    @Override
    public void failReports(CloudException.Kind kind) {
        fail(COSTS, kind);
    }

    private static void fail(String target, CloudException.Kind kind) {
        String type = kind == CloudException.Kind.TRANSIENT ? "ThrottlingException" : "AccessDeniedException";
        String message = kind == CloudException.Kind.TRANSIENT ? "Rate exceeded"
                : "User: arn:aws:iam::123456789012:user/portal is not authorized to perform this operation";
        failures.add(aws.stubFor(post(urlEqualTo("/")).atPriority(1).withHeader("X-Amz-Target", equalTo(target))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}"))));
    }

    @Override
    public void recover() {
        failures.forEach(aws::removeStub);
        failures.clear();
    }

    /** GetCostAndUsage answers per filter: the app's tag, the other app's, the unit's alone (their sum). */
    @Override
    public void arrangeSpend(String unit, String app, List<BigDecimal> amounts, String other,
            List<BigDecimal> otherAmounts) {
        List<BigDecimal> sum = new ArrayList<>();
        for (int i = 0; i < amounts.size(); i++) {
            sum.add(amounts.get(i).add(otherAmounts.get(i)));
        }
        aws.stubFor(costs(unit).withRequestBody(containing("\"" + app + "\"")).atPriority(5)
                .willReturn(json(costResponse(amounts, null))));
        aws.stubFor(costs(unit).withRequestBody(containing("\"" + other + "\"")).atPriority(5)
                .willReturn(json(costResponse(otherAmounts, null))));
        aws.stubFor(costs(unit).withRequestBody(notContaining("\"application\"")).atPriority(6)
                .willReturn(json(costResponse(sum, null))));
    }

    static MappingBuilder costs(String unit) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(COSTS))
                .withRequestBody(containing("\"" + unit + "\""));
    }

    /** A GetCostAndUsage answer as the API reference shows it, one ResultsByTime entry per day from firstDay. */
    String costResponse(List<BigDecimal> amounts, String nextPageToken) {
        return costResponse(firstDay(), amounts, nextPageToken);
    }

    static String costResponse(LocalDate first, List<BigDecimal> amounts, String nextPageToken) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("GroupDefinitions");
        ArrayNode results = body.putArray("ResultsByTime");
        for (int i = 0; i < amounts.size(); i++) {
            ObjectNode r = results.addObject();
            r.putObject("TimePeriod").put("Start", first.plusDays(i).toString()).put("End",
                    first.plusDays(i + 1).toString());
            r.putObject("Total").putObject("UnblendedCost").put("Amount", amounts.get(i).toPlainString())
                    .put("Unit", "USD");
            r.putArray("Groups");
            r.put("Estimated", false);
        }
        body.putArray("DimensionValueAttributes");
        if (nextPageToken != null) {
            body.put("NextPageToken", nextPageToken);
        }
        return body.toString();
    }

    // --- over the wire

    @Test
    void aLookUpAsksForTheUsersEventsInTheWindowFiftyAtATime() {
        String user = unique("wire");
        evidence.eventsOfUser(user, windowStart(), window(), 10);
        var sent = aws.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(LOOKUP))
                .withRequestBody(containing(user)));
        assertThat(sent).hasSize(2);
        var body = sent.stream().map(r -> r.getBodyAsString()).toList();
        assertThat(body).anySatisfy(b -> assertThat(b).contains("\"AttributeKey\":\"Username\""))
                .anySatisfy(b -> assertThat(b).contains("\"AttributeKey\":\"ResourceName\""))
                .allSatisfy(b -> assertThat(b).contains("\"MaxResults\":50")
                        .contains("\"StartTime\":" + windowStart().getEpochSecond())
                        .contains("\"EndTime\":" + window().getEpochSecond()));
    }

    /** A Bedrock call is recorded in its region: the user's calls are looked up in every trail region. */
    @Test
    void theUsersCallsAreLookedUpInEveryTrailRegionAndChangesToTheUserInUsEast1() {
        String user = unique("regions");
        adapter(List.of("eu-west-1", "us-west-2")).eventsOfUser(user, windowStart(), window(), 10);
        var sent = aws.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(LOOKUP))
                .withRequestBody(containing(user)));
        List<String> asked = sent.stream().map(r -> region(r.getHeader("Authorization")) + " "
                + (r.getBodyAsString().contains("ResourceName") ? "ResourceName" : "Username")).toList();
        assertThat(asked).containsExactlyInAnyOrder("eu-west-1 Username", "us-west-2 Username",
                "us-east-1 Username", "us-east-1 ResourceName");
    }

    private static String region(String authorization) {
        var m = java.util.regex.Pattern.compile("Credential=[^/]+/\\d{8}/([a-z0-9-]+)/").matcher(authorization);
        return m.find() ? m.group(1) : "?";
    }

    @Test
    void anEventsRecordGivesItsAddressClientRegionErrorAndKey() {
        String user = unique("record");
        arrangeEvents(user, calls(7));
        TrailEvent refused = evidence.eventsOfUser(user, windowStart(), window(), 50).get(0);
        assertThat(refused.errorCode()).isEqualTo("AccessDenied");
        assertThat(refused.credentialId()).isEqualTo("ACCAEXAMPLEKEY0");
        assertThat(refused.region()).isEqualTo("eu-west-1");
        assertThat(refused.sourceIp()).isEqualTo("203.0.113.7");
    }

    @Test
    void aLookUpReadsNoPagePastItsMax() {
        String user = unique("capped");
        arrangeEvents(user, calls(120));
        assertThat(evidence.eventsOfUser(user, windowStart(), window(), 40)).hasSize(40);
        aws.verify(0, postRequestedFor(urlEqualTo("/")).withRequestBody(containing(user + "-page-1")));
        assertThat(evidence.eventsOfUser(user, windowStart(), window(), 60)).hasSize(60);
        aws.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing(user + "-page-1")));
        aws.verify(0, postRequestedFor(urlEqualTo("/")).withRequestBody(containing(user + "-page-2")));
    }

    @Test
    void aSpendReportAsksForBedrocksDailyUnblendedCostOfTheTagsAndFollowsPages() {
        String unit = unique("unit");
        String app = unique("app");
        aws.stubFor(costs(unit).atPriority(5).withRequestBody(notContaining("NextPageToken"))
                .willReturn(json(costResponse(List.of(new BigDecimal("1.5"), new BigDecimal("0.25")), "p2"))));
        aws.stubFor(costs(unit).atPriority(4).withRequestBody(matchingJsonPath("$.NextPageToken", equalTo("p2")))
                .willReturn(json(costResponse(firstDay().plusDays(2), List.of(new BigDecimal("0.1234567")), null))));
        List<SpendReports.DailySpend> found = evidence.dailySpend(unit, app, firstDay(), firstDay().plusDays(4));
        assertThat(found).extracting(d -> d.amountUsd().toPlainString()).containsExactly("1.5", "0.25",
                "0.1234567", "0");
        var sent = aws.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(COSTS))
                .withRequestBody(containing(unit)));
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).getHeader("Authorization")).contains("/us-east-1/ce/aws4_request");
        assertThat(sent.get(0).getBodyAsString()).contains("\"Start\":\"2026-02-01\"", "\"End\":\"2026-02-05\"",
                "\"Granularity\":\"DAILY\"", "\"Metrics\":[\"UnblendedCost\"]",
                "{\"Dimensions\":{\"Key\":\"SERVICE\",\"Values\":[\"Amazon Bedrock\"]}}",
                "{\"Tags\":{\"Key\":\"business-unit\",\"Values\":[\"" + unit + "\"]}}",
                "{\"Tags\":{\"Key\":\"application\",\"Values\":[\"" + app + "\"]}}");
    }
}
