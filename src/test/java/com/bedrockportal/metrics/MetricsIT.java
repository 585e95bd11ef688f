package com.bedrockportal.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.Reauthentication;
import com.bedrockportal.key.KeyReveal;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The portal's metrics on PostgreSQL with the simulated account: a request driven from submission through both
 * approvals, provisioning and the reveal moves the request, key, lead-time, provisioning, reveal and AWS-call series
 * on {@code /actuator/prometheus} as an operator would expect; the alert gauge follows the alerts' table when there
 * is one and stays away when there is none. Scraping takes the scrape user's Basic credentials and no session.
 */
@AutoConfigureMockMvc
// Spring Boot leaves metrics export (the Prometheus registry and endpoint) out of tests unless asked.
@AutoConfigureObservability(tracing = false)
@TestPropertySource(properties = { "portal.metrics.scrape-password=" + MetricsIT.PASSWORD,
        "portal.drift.enabled=false" })
class MetricsIT extends PostgresSupport {

    static final String PASSWORD = "scrape-test-secret";

    @Autowired
    MockMvc mvc;
    @Autowired
    PortalMetrics metrics;
    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    KeyReveal reveal;
    @Autowired
    IamUsers iamUsers;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aRequestDrivenThroughMovesTheSeriesAnOperatorWatches() throws Exception {
        metrics.refresh();
        String before = scrape();

        BusinessUnit unit = Fixtures.unit(units, "mt", Set.of("mike"), Set.of("alice"));
        AccessRequest r = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(r.id(), true, "ok"), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> RequestStatus.valueOf(jdbc.queryForObject(
                "select status from access_request where id = ?", String.class, r.id())) == RequestStatus.PROVISIONED);
        assertThat(revealAsAlice(r.id())).isInstanceOf(KeyReveal.Revealed.class);
        // A call the simulation refuses by its own rules (no such user) counts with its outcome.
        assertThatThrownBy(() -> iamUsers.tagUser("no-such-user-" + r.id(), Map.of("owner", "x@example.com")))
                .isInstanceOf(CloudException.class);

        metrics.refresh();
        String after = scrape();
        assertThat(value(after, "portal_requests{status=\"PROVISIONED\"}") - value(before,
                "portal_requests{status=\"PROVISIONED\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(after, "portal_keys{status=\"ACTIVE\"}") - value(before, "portal_keys{status=\"ACTIVE\"}"))
                .isGreaterThanOrEqualTo(1);
        // Recorded by the node whose step provisioned the request, this one (exactly once in a cluster: TwoNodesIT;
        // here a retried job of another test on the shared database may finish on this node too).
        assertThat(value(after, "portal_requests_lead_time_seconds_count") - value(before,
                "portal_requests_lead_time_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(value(after, "portal_provisioning_duration_seconds_count") - value(before,
                "portal_provisioning_duration_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(value(after, "portal_provisioning_duration_seconds_sum")).isGreaterThan(0);
        assertThat(value(after, "portal_keys_reveals_total{kind=\"request\"}") - value(before,
                "portal_keys_reveals_total{kind=\"request\"}")).isEqualTo(1);
        assertThat(value(after, "portal_aws_calls_total{operation=\"CreateUser\",outcome=\"success\"}")
                - value(before, "portal_aws_calls_total{operation=\"CreateUser\",outcome=\"success\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(after, "portal_aws_calls_total{operation=\"CreateServiceSpecificCredential\","
                + "outcome=\"success\"}") - value(before, "portal_aws_calls_total{operation="
                        + "\"CreateServiceSpecificCredential\",outcome=\"success\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(after, "portal_aws_calls_total{operation=\"TagUser\",outcome=\"NOT_FOUND\"}")
                - value(before, "portal_aws_calls_total{operation=\"TagUser\",outcome=\"NOT_FOUND\"}"))
                .isEqualTo(1);
        assertThat(after).contains("portal_incidents_open ").contains("portal_events_waiting ");
        assertThat(after).doesNotContain("ABSK").doesNotContain("alice");
    }

    @Test
    void theAlertGaugeCountsTheAlertsTableByRuleAndStatus() throws Exception {
        String fingerprint = "metrics-it-" + System.nanoTime();
        metrics.refresh();
        double before = value(scrape(), "portal_alerts{rule=\"DENIED_BURST\",status=\"OPEN\"}");
        jdbc.update("""
                insert into alert (rule, severity, status, fingerprint, open_fingerprint, title, evidence, measure,
                    first_seen_at, last_seen_at, occurrences, created_at)
                values ('DENIED_BURST', 'HIGH', 'OPEN', ?, ?, 'metrics test', 'none', 12, now(), now(), 1, now())""",
                fingerprint, fingerprint);
        try {
            metrics.refresh();
            assertThat(value(scrape(), "portal_alerts{rule=\"DENIED_BURST\",status=\"OPEN\"}"))
                    .isEqualTo(before + 1);
        } finally {
            jdbc.update("delete from alert where fingerprint = ?", fingerprint);
        }
    }

    @Test
    void scrapingNeedsTheScrapeUserAndCreatesNoSession() throws Exception {
        mvc.perform(get("/actuator/prometheus")).andExpect(status().isUnauthorized());
        mvc.perform(get("/actuator/prometheus").header("Authorization", basic("prometheus", "wrong")))
                .andExpect(status().isUnauthorized());
        mvc.perform(post("/actuator/prometheus").header("Authorization", basic("prometheus", PASSWORD)))
                .andExpect(status().isForbidden());
        MvcResult ok = mvc.perform(get("/actuator/prometheus").header("Authorization", basic("prometheus",
                PASSWORD))).andExpect(status().isOk()).andReturn();
        assertThat(ok.getRequest().getSession(false)).isNull();
        assertThat(ok.getResponse().getHeader("Set-Cookie")).isNull();
    }

    private KeyReveal.Result revealAsAlice(long requestId) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.getSession(true).setAttribute(Reauthentication.SESSION_ATTRIBUTE, Instant.now());
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        try {
            return RunAs.user("alice", () -> reveal.reveal(requestId), "REQUESTER");
        } finally {
            RequestContextHolder.resetRequestAttributes();
        }
    }

    /**
     * The production compose file's Grafana dashboard asks only for series the portal exports: a renamed meter would
     * leave a panel empty without a word. Reveals are counted from zero, so "per hour" works before the first one.
     */
    @Test
    void theGrafanaDashboardQueriesOnlySeriesThePortalExports() throws Exception {
        // One AWS call, so that the calls counter has a series in this context.
        assertThatThrownBy(() -> iamUsers.tagUser("no-such-user-grafana", Map.of("owner", "x@example.com")))
                .isInstanceOf(CloudException.class);
        metrics.refresh();
        String exported = scrape();
        String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of(
                "docker/grafana/dashboards/bedrock-access-portal.json"));
        Set<String> queried = new java.util.TreeSet<>();
        Matcher names = Pattern.compile("portal_[a-z_]+").matcher(dashboard);
        while (names.find()) {
            queried.add(names.group());
        }
        assertThat(queried).contains("portal_requests_lead_time_seconds_count", "portal_keys_reveals_total");
        // Both kinds of reveal are there from the start (no rotation key is revealed in this class).
        assertThat(exported).contains("portal_keys_reveals_total{kind=\"rotation\"} 0.0")
                .containsPattern("portal_keys_reveals_total\\{kind=\"request\"\\} [0-9.]+");
        // portal_alerts has a series per rule and status that has alerts, none without (the alert gauge's own test).
        queried.remove("portal_alerts");
        for (String metric : queried) {
            assertThat(exported).as(metric + " on /actuator/prometheus").containsPattern("(?m)^" + metric + "[{ ]");
        }
    }

    private String scrape() throws Exception {
        return mvc.perform(get("/actuator/prometheus").header("Authorization", basic("prometheus", PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The value of one series in Prometheus' text format (0 when it is not there). */
    static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
