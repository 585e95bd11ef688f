package com.bedrockportal.aws;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import com.bedrockportal.provisioning.ActivityTrail.TrailEvent;
import com.bedrockportal.provisioning.ApplicationSpend;
import com.bedrockportal.provisioning.BedrockCalls;
import com.bedrockportal.provisioning.CloudException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.bedrockportal.provisioning.Contracts.unique;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The usage collection's AWS look-ups against WireMock stubs shaped from the API references (JSON 1.1; moto lacks
 * LookupEvents and Cost Explorer grouping): what goes over the wire (target, lookup attribute, time range, NextToken;
 * filter, GroupBy, granularity, metric, NextPageToken) and how the answers are read. SDK retries are off.
 */
class AwsUsageTest {

    static final String LOOKUP = AwsEvidenceTest.LOOKUP;
    static final String COSTS = AwsEvidenceTest.COSTS;
    static WireMockServer aws;
    static AwsUsage usage;

    @BeforeAll
    static void start() {
        aws = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        aws.start();
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLETESTONLY");
        System.setProperty("aws.secretAccessKey", "test-secret-not-real");
        AwsProperties props = new AwsProperties("aws", "us-east-1", URI.create(aws.baseUrl()), Duration.ofSeconds(10),
                "off");
        usage = new AwsUsage(new AwsClients(props), props, new TrailProperties(List.of()), "iamPrincipal/",
                Clock.systemUTC(), Duration.ZERO);
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
    }

    /** {@code count} events of the user, newest first, one a minute before {@code end}; every 10th an IAM call. */
    private static List<TrailEvent> events(String user, int count, Instant end) {
        List<TrailEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean iam = i % 10 == 9;
            events.add(new TrailEvent(user + "-ev-" + i, end.minusSeconds(60L * (i + 1)),
                    iam ? "TagUser" : i % 3 == 0 ? "Converse" : "InvokeModel",
                    iam ? "iam.amazonaws.com" : "bedrock.amazonaws.com", i % 7 == 0 ? "198.51.100.7" : "192.0.2.10",
                    "python-requests/2.32.3", "us-east-1", i % 5 == 0 ? "AccessDenied" : null, "ACCAEXAMPLEKEY0"));
        }
        return events;
    }

    /** LookupEvents pages of 50 (newest first), the next page asked for with the NextToken of the last. */
    private static void arrangePages(String user, List<TrailEvent> events) {
        for (int page = 0; page * 50 < events.size(); page++) {
            List<TrailEvent> slice = events.subList(page * 50, Math.min(events.size(), page * 50 + 50));
            String next = (page + 1) * 50 < events.size() ? user + "-page-" + (page + 1) : null;
            var request = AwsEvidenceTest.lookup(user, "Username");
            request = page == 0 ? request.withRequestBody(notContaining("NextToken"))
                    : request.withRequestBody(matchingJsonPath("$.NextToken", equalTo(user + "-page-" + page)));
            aws.stubFor(request.willReturn(AwsEvidenceTest.json(AwsEvidenceTest.lookupResponse(user, slice, next))));
        }
    }

    @Test
    void readsTheUsersBedrockCallsPageByPageWithTheirModel() {
        String user = unique("usage") + "-bedrock";
        Instant end = Instant.parse("2026-03-20T10:00:00Z");
        arrangePages(user, events(user, 120, end));

        BedrockCalls.Calls calls = usage.callsOfUser(user, end.minus(Duration.ofDays(14)), end, 1000);

        assertThat(calls.truncated()).isFalse();
        assertThat(calls.calls()).hasSize(108).allSatisfy(c -> {
            assertThat(c.modelId()).isEqualTo("amazon.nova-lite-v1:0");
            assertThat(c.eventName()).isIn("InvokeModel", "Converse");
            assertThat(c.inputTokens()).as("CloudTrail records no tokens").isNull();
        });
        assertThat(calls.calls().get(0).time()).isEqualTo(end.minusSeconds(60));
        assertThat(calls.calls()).filteredOn(BedrockCalls.BedrockCall::denied).hasSize(24);
        assertThat(calls.calls()).filteredOn(c -> "198.51.100.7".equals(c.sourceIp())).isNotEmpty();
        List<LoggedRequest> sent = aws.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target",
                equalTo(LOOKUP)));
        assertThat(sent).hasSize(3);
        assertThat(sent.get(0).getBodyAsString()).contains("\"AttributeKey\":\"Username\"", "\"StartTime\"",
                "\"EndTime\"", "\"MaxResults\":50").doesNotContain("NextToken");
        assertThat(sent.get(2).getBodyAsString()).contains("\"NextToken\":\"" + user + "-page-2\"");
    }

    @Test
    void stopsAtTheCapWithoutReadingFurtherPages() {
        String user = unique("capped") + "-bedrock";
        Instant end = Instant.parse("2026-03-20T10:00:00Z");
        arrangePages(user, events(user, 150, end));

        BedrockCalls.Calls calls = usage.callsOfUser(user, end.minus(Duration.ofDays(14)), end, 30);

        assertThat(calls.calls()).hasSize(30);
        assertThat(calls.truncated()).isTrue();
        assertThat(aws.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(LOOKUP))))
                .as("the first page held enough").hasSize(1);
    }

    @Test
    void throttlingIsATransientFailure() {
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(LOOKUP)).willReturn(aResponse()
                .withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}")));

        assertThatThrownBy(() -> usage.callsOfUser("u-bedrock", Instant.now().minusSeconds(60), Instant.now(), 10))
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.kind())
                        .isEqualTo(CloudException.Kind.TRANSIENT));
    }

    /** A grouped GetCostAndUsage answer as the API reference shows it: Keys "tagKey$value" in GroupBy order. */
    private static String groupedResponse(LocalDate day, List<String[]> groups, String next) {
        ObjectNode body = AwsEvidenceTest.JSON.createObjectNode();
        ArrayNode defs = body.putArray("GroupDefinitions");
        defs.addObject().put("Type", "TAG").put("Key", "iamPrincipal/business-unit");
        defs.addObject().put("Type", "TAG").put("Key", "iamPrincipal/application");
        ObjectNode r = body.putArray("ResultsByTime").addObject();
        r.putObject("TimePeriod").put("Start", day.toString()).put("End", day.plusDays(1).toString());
        r.putObject("Total");
        ArrayNode list = r.putArray("Groups");
        for (String[] g : groups) {
            ObjectNode group = list.addObject();
            group.putArray("Keys").add("iamPrincipal/business-unit$" + g[0]).add("iamPrincipal/application$" + g[1]);
            group.putObject("Metrics").putObject("UnblendedCost").put("Amount", g[2]).put("Unit", "USD");
        }
        r.put("Estimated", true);
        body.putArray("DimensionValueAttributes");
        if (next != null) {
            body.put("NextPageToken", next);
        }
        return body.toString();
    }

    @Test
    void spendOfEveryApplicationIsOneReportGroupedByThePrincipalTags() {
        LocalDate first = LocalDate.of(2026, 3, 1);
        java.util.function.Supplier<com.github.tomakehurst.wiremock.client.MappingBuilder> grouped = () -> post(
                urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(COSTS))
                .withRequestBody(matchingJsonPath("$.Granularity", equalTo("DAILY")))
                .withRequestBody(matchingJsonPath("$.Metrics[0]", equalTo("UnblendedCost")))
                .withRequestBody(matchingJsonPath("$.Filter.Dimensions.Key", equalTo("SERVICE")))
                .withRequestBody(matchingJsonPath("$.Filter.Dimensions.Values[0]", equalTo("Amazon Bedrock")))
                .withRequestBody(matchingJsonPath("$.GroupBy[0].Type", equalTo("TAG")))
                .withRequestBody(matchingJsonPath("$.GroupBy[0].Key", equalTo("iamPrincipal/business-unit")))
                .withRequestBody(matchingJsonPath("$.GroupBy[1].Type", equalTo("TAG")))
                .withRequestBody(matchingJsonPath("$.GroupBy[1].Key", equalTo("iamPrincipal/application")))
                .withRequestBody(matchingJsonPath("$.TimePeriod.Start", equalTo("2026-03-01")))
                .withRequestBody(matchingJsonPath("$.TimePeriod.End", equalTo("2026-03-03")));
        // (a fresh builder per stub: WireMock's builders keep their id)
        aws.stubFor(grouped.get().withRequestBody(notContaining("NextPageToken")).willReturn(AwsEvidenceTest.json(
                groupedResponse(first, List.of(new String[] { "marketing", "chat", "1.25" },
                        new String[] { "marketing", "search", "0.50" }, new String[] { "", "", "3.00" }), "p2"))));
        aws.stubFor(grouped.get().withRequestBody(matchingJsonPath("$.NextPageToken", equalTo("p2"))).willReturn(
                AwsEvidenceTest.json(groupedResponse(first.plusDays(1), List.of(
                        new String[] { "marketing", "chat", "2.00" }, new String[] { "data", "chat", "0.10" },
                        new String[] { "data", "idle", "0" }), null))));

        ApplicationSpend.Report report = usage.dailyByApplication(first, first.plusDays(2), 100);

        assertThat(report.rows()).extracting(r -> r.businessUnitTag() + "/" + r.applicationTag() + "@" + r.day()
                + "=" + r.amountUsd().toPlainString()).containsExactly("marketing/chat@2026-03-01=1.25",
                        "marketing/search@2026-03-01=0.50", "marketing/chat@2026-03-02=2.00",
                        "data/chat@2026-03-02=0.10");
        assertThat(report.untaggedUsd()).as("cost without the tags (not activated, or outside the portal)")
                .isEqualByComparingTo("3.00");
        assertThat(report.truncated()).isFalse();
        assertThat(aws.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(COSTS))))
                .as("one report for every application, two pages").hasSize(2);

        ApplicationSpend.Report capped = usage.dailyByApplication(first, first.plusDays(2), 2);
        assertThat(capped.truncated()).isTrue();
        assertThat(capped.rows()).extracting(ApplicationSpend.TaggedSpend::applicationTag).containsOnly("chat",
                "search");
        assertThat(AwsUsage.tagValue(List.of("business-unit$x"), 0, "iamPrincipal/business-unit"))
                .as("a key of another tag is not taken for this one").isNull();
    }

    @Test
    void aRefusedReportIsABusinessFailure() {
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(COSTS)).willReturn(aResponse()
                .withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"AccessDeniedException\",\"message\":\"not authorized to perform "
                        + "ce:GetCostAndUsage\"}")));

        assertThatThrownBy(() -> usage.dailyByApplication(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 2), 10))
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.kind())
                        .isEqualTo(CloudException.Kind.ACCESS_DENIED));
    }
}
