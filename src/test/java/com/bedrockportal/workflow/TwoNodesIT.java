package com.bedrockportal.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.bedrockportal.PortalApplication;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two portal nodes on one PostgreSQL database, each with its own process engine and job executor (issue 16): 200
 * requests submitted and approved alternately on each node. Every request ends PROVISIONED, no job fails, both nodes'
 * job executors did the work, each job succeeded exactly once, and every AWS side effect in the simulated account
 * (IAM user, API key, budget) happened exactly once. Prints how long it took.
 */
class TwoNodesIT {

    static final int REQUESTS = Integer.getInteger("two-nodes.requests", 200);
    /** Camunda's job log states (JobState): 1 a failed attempt, 2 a success. */
    static final int FAILED = 1;
    static final int SUCCESSFUL = 2;
    static ConfigurableApplicationContext nodeA;
    static ConfigurableApplicationContext nodeB;

    /**
     * A database of their own, fresh each run: the 200 applications would otherwise crowd the shared test database's
     * capped lists (an all-units evidence pack of the last 7 days) that other tests read.
     */
    static final String DB = PostgresSupport.DB + "_two_nodes";
    static final String URL = "jdbc:postgresql://" + PostgresSupport.HOST + "/" + DB;

    @BeforeAll
    static void startTwoNodes() throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://" + PostgresSupport.HOST
                + "/postgres", "postgres", "")) {
            c.createStatement().execute("drop database if exists \"" + DB + "\" with (force)");
            c.createStatement().execute("create database \"" + DB + "\"");
        }
        nodeA = node("node-a");
        nodeB = node("node-b");
    }

    @AfterAll
    static void stopTwoNodes() {
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
    }

    static ConfigurableApplicationContext node(String name) {
        // As command-line arguments: they outrank the postgres profile's own datasource URL.
        Map<String, String> settings = Map.of(
                "server.port", "0",
                "spring.datasource.url", URL,
                "spring.datasource.username", "postgres",
                "spring.datasource.hikari.maximum-pool-size", "10",
                "portal.identity.embedded-idp.port", "0",
                "portal.mail.poll-interval", "PT10M",
                "portal.usage.enabled", "false",
                "vaadin.launch-browser", "false",
                // The job log's HOSTNAME_ says which node ran each job.
                "camunda.bpm.generic-properties.properties.hostname", name);
        return new SpringApplicationBuilder(PortalApplication.class).profiles("postgres")
                .run(settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
    }

    @Test
    void twoHundredRequestsApprovedAlternatelyOnTwoNodesProvisionEachAwsResourceExactlyOnce() {
        BusinessUnit unit = on(nodeA, () -> Fixtures.unit(nodeA.getBean(BusinessUnitService.class), "two"));
        String users = unit.slug() + "-%";
        long started = System.nanoTime();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            ConfigurableApplicationContext first = i % 2 == 0 ? nodeA : nodeB;
            ConfigurableApplicationContext second = i % 2 == 0 ? nodeB : nodeA;
            AccessRequest r = on(first, () -> RunAs.user("alice", () -> first.getBean(RequestService.class)
                    .submit(Fixtures.request(unit.id())), "REQUESTER"));
            on(second, () -> RunAs.user("mike", () -> second.getBean(ApprovalService.class).decide(r.id(), true,
                    null), "MANAGER"));
            on(first, () -> RunAs.user("sara", () -> first.getBean(ApprovalService.class).decide(r.id(), true,
                    null), "SECURITY"));
            ids.add(r.id());
        }
        long approved = System.nanoTime();
        JdbcTemplate jdbc = nodeA.getBean(JdbcTemplate.class);
        String inList = String.join(",", ids.stream().map(String::valueOf).toList());
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250)).until(() -> jdbc
                .queryForObject("select count(*) from access_request where id in (" + inList + ") and status in "
                        + "('PROVISIONED', 'PROVISIONING_FAILED')", Integer.class) == REQUESTS);
        long done = System.nanoTime();
        System.out.printf("TWO-NODES: %d requests submitted and approved in %.1f s; all provisioned %.1f s after the "
                + "last approval (%.1f requests/s end to end)%n", REQUESTS, (approved - started) / 1e9,
                (done - approved) / 1e9, REQUESTS / ((done - started) / 1e9));

        assertThat(jdbc.queryForList("select distinct status from access_request where id in (" + inList + ")",
                String.class)).containsExactly("PROVISIONED");
        // Both nodes' job executors ran jobs of these requests; no job succeeded twice, none failed.
        String instances = "select proc_inst_id_ from act_hi_procinst where business_key_ in ("
                + String.join(",", ids.stream().map(id -> "'" + id + "'").toList()) + ")";
        assertThat(jdbc.queryForObject("select count(*) from act_hi_incident where proc_inst_id_ in (" + instances
                + ")", Integer.class)).as("incidents").isZero();
        List<Map<String, Object>> byHost = jdbc.queryForList("select hostname_, count(*) as n from act_hi_job_log "
                + "where job_state_ = " + SUCCESSFUL + " and process_instance_id_ in (" + instances + ") group by hostname_");
        System.out.println("TWO-NODES: successful jobs by node " + byHost);
        assertThat(byHost).extracting(row -> row.get("hostname_")).containsExactlyInAnyOrder("node-a", "node-b");
        assertThat(jdbc.queryForObject("select count(*) from (select job_id_ from act_hi_job_log where job_state_ = " + SUCCESSFUL + " "
                + "and process_instance_id_ in (" + instances + ") group by job_id_ having count(*) > 1) twice",
                Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from act_hi_job_log where job_state_ = " + FAILED + " and "
                + "process_instance_id_ in (" + instances + ")", Integer.class)).as("failed jobs").isZero();

        // The simulated account: one user, one key and one budget per request, each created once.
        assertThat(jdbc.queryForObject("select count(*) from sandbox_iam_user where user_name like ?", Integer.class,
                users)).isEqualTo(REQUESTS);
        assertThat(jdbc.queryForObject("select count(*) from sandbox_credential where user_name like ?",
                Integer.class, users)).isEqualTo(REQUESTS);
        for (String event : Set.of("CreateUser", "CreateServiceSpecificCredential")) {
            assertThat(jdbc.queryForList("select user_name from sandbox_trail_event where event_name = ? and "
                    + "user_name like ? group by user_name having count(*) <> 1", String.class, event, users))
                    .as(event + " more than once").isEmpty();
            assertThat(jdbc.queryForObject("select count(distinct user_name) from sandbox_trail_event where "
                    + "event_name = ? and user_name like ?", Integer.class, event, users)).isEqualTo(REQUESTS);
        }
        assertThat(jdbc.queryForObject("select count(*) from api_key where request_id in (" + inList + ")",
                Integer.class)).isEqualTo(REQUESTS);
    }

    /** Calls into one node: its services read the security context through its own strategy. */
    private static <T> T on(ConfigurableApplicationContext node, Supplier<T> work) {
        SecurityContextHolder.setContextHolderStrategy(node.getBean(SecurityContextHolderStrategy.class));
        return work.get();
    }
}
