package com.bedrockportal.monitoring;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.provisioning.Budgets;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.sandbox.SandboxFaults;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.MutableClock;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The usage collection against PostgreSQL and the simulated account, the clock held still: a replayed run writes the
 * same rows and adds nothing; one application whose CloudTrail look-up fails gets the error on its row while the
 * others are collected; a scheduled interval runs once however many nodes try; "Refresh now" is for security and
 * admins and audited; each run announces itself.
 */
@RecordApplicationEvents
class UsageCollectionIT extends PostgresSupport {

    @TestConfiguration
    static class StillTime {
        @Bean
        @Primary
        MutableClock stillClock() {
            return new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        }
    }

    @Autowired
    UsageCollection collection;
    @Autowired
    SimulatedAccount account;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MutableClock clock;
    @Autowired
    ApplicationEvents events;

    BusinessUnit unit;
    long chat;
    long search;
    final Map<Long, String> keys = new java.util.HashMap<>();

    @BeforeEach
    void twoApplicationsCallingBedrockForThreeWeeks() {
        clock.set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        unit = Fixtures.unit(units, "use", Set.of("mike"), Set.of("alice"));
        chat = applicationWithKey("chat", true);
        search = applicationWithKey("search", false);
    }

    @AfterEach
    void noFaults() {
        SandboxFaults.clear(account);
    }

    /** An application row, its IAM user (tags, a policy for Nova Lite from one range) and a key of 21 days. */
    private long applicationWithKey(String slug, boolean budget) {
        long id = Fixtures.application(jdbc, unit, slug);
        jdbc.update("update application set source_cidrs = '192.0.2.0/24' where id = ?", id);
        String user = ApplicationNames.of(unit.slug(), slug).iamUser();
        account.createUser(user, "/bedrock-portal/", Map.of("business-unit", unit.slug(), "application", slug));
        account.putUserPolicy(user, "bedrock-access-portal", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["bedrock:InvokeModel"],
                 "Resource":["arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0"],
                 "Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24"]}}}]}""");
        String key = account.createServiceCredential(user, ServiceCredentials.BEDROCK_SERVICE, 60).credential()
                .credentialId();
        jdbc.update("update sandbox_key_usage set created_at = ? where credential_id = ?",
                java.sql.Timestamp.from(clock.instant().minus(Duration.ofDays(21))), key);
        keys.put(id, key);
        if (budget) {
            account.createBudget(new Budgets.BudgetSpec(ApplicationNames.of(unit.slug(), slug).budgetName(),
                    new BigDecimal("300"), unit.slug(), List.of(), slug));
        }
        return id;
    }

    private List<Map<String, Object>> rows(String table, String where, long... ids) {
        String in = String.join(",", java.util.Arrays.stream(ids).mapToObj(Long::toString).toList());
        return jdbc.queryForList("select * from " + table + " where " + where + " in (" + in + ") order by 1, 2")
                .stream().map(r -> {
                    Map<String, Object> copy = new java.util.TreeMap<>(r);
                    copy.remove("refreshed_at");
                    return copy;
                }).toList();
    }

    private List<Map<String, Object>> everything() {
        return List.of(rows("usage_day", "application_id", chat, search),
                rows("usage_summary", "application_id", chat, search),
                rows("usage_event", "application_id", chat, search),
                rows("spend_month", "scope_id", chat, search, unit.id())).stream().flatMap(List::stream).toList();
    }

    @Test
    void aReplayedRunWritesTheSameRowsAndAddsNothing() {
        // a leaked copy calling from elsewhere, refused by the policy's range
        account.activity().record(new com.bedrockportal.sandbox.SimulatedActivity.Invocation(keys.get(chat),
                clock.instant().minus(Duration.ofDays(2)), "InvokeModel", "198.51.100.77", "curl/8.5.0", null,
                "AccessDenied", null));
        UsageCollection.Outcome first = collection.collect("test", "T-" + UUID.randomUUID());
        List<Map<String, Object>> after = everything();
        UsageCollection.Outcome replay = collection.collect("test", "T-" + UUID.randomUUID());

        assertThat(first.ran()).isTrue();
        assertThat(replay.ran()).isTrue();
        assertThat(everything()).isEqualTo(after);
        assertThat(rows("usage_day", "application_id", chat)).hasSize(14);
        Map<String, Object> summary = rows("usage_summary", "application_id", chat).get(0);
        assertThat((Integer) summary.get("calls_in_window")).isGreaterThan(20);
        assertThat(summary.get("last_used_at")).isNotNull();
        assertThat(summary.get("error")).isNull();
        assertThat(jdbc.queryForObject("select sum(invocations) from usage_day where application_id = ?",
                Long.class, chat)).isEqualTo(((Integer) summary.get("calls_in_window")).longValue());
        assertThat(jdbc.queryForObject("select sum(cost_usd) from usage_day where application_id = ?",
                BigDecimal.class, chat)).isPositive();
        long outside = jdbc.queryForObject("select count(*) from usage_event where application_id = ? and kind = "
                + "'OUTSIDE_RANGE'", Long.class, chat);
        assertThat(outside).as("calls from outside the range are kept").isPositive().isEqualTo(jdbc.queryForObject(
                "select sum(outside_ranges) from usage_day where application_id = ?", Long.class, chat));
        assertThat(jdbc.queryForObject("select count(*) from usage_event where application_id = ? and event_time "
                + "= ? and source_ip = '198.51.100.77'", Long.class, chat, java.sql.Timestamp.from(clock.instant()
                        .minus(Duration.ofDays(2))))).isEqualTo(1);
        Map<String, Object> month = jdbc.queryForMap("select * from spend_month where scope = 'APPLICATION' and "
                + "scope_id = ?", chat);
        assertThat((BigDecimal) month.get("budget_usd")).isEqualByComparingTo("300");
        assertThat((BigDecimal) month.get("actual_usd")).isEqualByComparingTo(account.reading(
                ApplicationNames.of(unit.slug(), "chat").budgetName()).orElseThrow().actualUsd());
        assertThat(month.get("forecast_usd")).isNotNull();
        assertThat(events.stream(UsageCollected.class).filter(e -> e.at().equals(clock.instant()))).hasSize(2);
    }

    @Test
    void anApplicationWhoseLookUpFailsCarriesTheErrorAndTheOthersAreCollected() {
        collection.collect("test", "T-" + UUID.randomUUID());
        Map<String, Object> before = jdbc.queryForMap("select * from usage_summary where application_id = ?", search);
        SandboxFaults.fail(account, "LookupEvents", "ACCESS_DENIED",
                ApplicationNames.of(unit.slug(), "search").iamUser());
        clock.advance(Duration.ofMinutes(20));

        UsageCollection.Outcome outcome = collection.collect("test", "T-" + UUID.randomUUID());

        assertThat(outcome.failures()).isPositive();
        Map<String, Object> failed = jdbc.queryForMap("select * from usage_summary where application_id = ?",
                search);
        assertThat((String) failed.get("error")).startsWith("CloudTrail: LookupEvents: injected failure");
        assertThat(failed.get("calls_in_window")).as("the last good figures stay").isEqualTo(before.get(
                "calls_in_window"));
        Map<String, Object> fine = jdbc.queryForMap("select * from usage_summary where application_id = ?", chat);
        assertThat(fine.get("error")).isNull();
        assertThat(((java.sql.Timestamp) fine.get("refreshed_at")).toInstant()).isEqualTo(clock.instant());
        assertThat(events.stream(UsageCollected.class).filter(e -> e.at().equals(clock.instant()))
                .findFirst().orElseThrow().failures()).isPositive();
    }

    /** Over portal.usage.max-applications the oldest active applications are collected and the rest counted. */
    @Test
    void overTheCapTheOldestActiveApplicationsAreCollectedAndTheOthersCounted(
            @Autowired com.bedrockportal.application.ApplicationService applications, @Autowired com.bedrockportal.provisioning.BedrockCalls calls,
            @Autowired com.bedrockportal.provisioning.ApplicationSpend spend,
            @Autowired com.bedrockportal.provisioning.BudgetReadings budgets, @Autowired UsageStore store,
            @Autowired UsageProperties properties, @Autowired com.bedrockportal.audit.AuditLog audit,
            @Autowired org.springframework.context.ApplicationEventPublisher publisher,
            @Autowired org.springframework.transaction.PlatformTransactionManager transactions,
            @Autowired com.bedrockportal.shared.ClusterRuns cluster) {
        UsageProperties two = new UsageProperties(true, properties.interval(), properties.window(), 2,
                properties.maxCalls(), properties.maxCostGroups(), properties.maxEvents(), properties.initialDelay(),
                properties.costTagPrefix());
        UsageCollection capped = new UsageCollection(applications, units, calls, spend, budgets, store, two, audit,
                publisher, transactions, clock, cluster);
        Fixtures.application(jdbc, unit, "third");
        clock.advance(Duration.ofMinutes(7));
        List<Long> active = jdbc.queryForList("select id from application where status = 'ACTIVE' order by id",
                Long.class);

        UsageCollection.Outcome outcome = capped.collect("test", "T-" + UUID.randomUUID());

        assertThat(outcome.applications()).isEqualTo(2);
        assertThat(outcome.skipped()).isEqualTo(active.size() - 2).isPositive();
        assertThat(jdbc.queryForList("select application_id from usage_summary where refreshed_at = ? order by 1",
                Long.class, java.sql.Timestamp.from(clock.instant()))).containsExactlyElementsOf(active.subList(0, 2));
    }

    @Test
    void aScheduledIntervalRunsOnceHoweverManyNodesTryIt() {
        Instant at = Instant.parse("2026-03-20T10:01:00Z");
        assertThat(collection.scheduledSlot(at)).as("the same interval on every node")
                .isEqualTo(collection.scheduledSlot(Instant.parse("2026-03-20T10:14:59Z")))
                .isNotEqualTo(collection.scheduledSlot(Instant.parse("2026-03-20T10:15:00Z")));
        String slot = collection.scheduledSlot(clock.instant());

        UsageCollection.Outcome first = collection.collect("node-a", slot + "-" + UUID.randomUUID());
        String shared = "S-it-" + UUID.randomUUID();
        UsageCollection.Outcome a = collection.collect("node-a", shared);
        UsageCollection.Outcome b = collection.collect("node-b", shared);

        assertThat(first.ran()).isTrue();
        assertThat(a.ran()).isTrue();
        assertThat(b.ran()).as("the second node finds the interval taken").isFalse();
        assertThat(jdbc.queryForObject("select triggered_by from usage_collection_run where slot = ?", String.class,
                shared)).isEqualTo("node-a");
    }

    /**
     * A run of many applications can outlast its interval: while another node's run holds the cluster's lease, no run
     * starts here (a scheduled one of the next slot, or "Refresh now"); once it is released or runs out, one does.
     */
    @Test
    void noRunStartsWhileAnotherNodesRunIsGoingOn() {
        try {
            jdbc.update("update cluster_run set holder = 'another-node', started_at = now() - interval '20 minutes', "
                    + "lease_until = now() + interval '10 minutes' where name = 'usage'"); // the database's time
            UsageCollection.Outcome next = collection.collect("schedule", "S-it-" + UUID.randomUUID());
            assertThat(next.ran()).as("the next slot's run on this node").isFalse();
            UsageCollection.Outcome now = RunAs.user("sara", () -> collection.collectNow("sara"), "SECURITY");
            assertThat(now.ran()).isFalse();

            jdbc.update("update cluster_run set lease_until = now() - interval '1 second' where name = 'usage'");
            assertThat(collection.collect("schedule", "S-it-" + UUID.randomUUID()).ran()).as("the lease ran out")
                    .isTrue();
            assertThat(jdbc.queryForObject("select lease_until from cluster_run where name = 'usage'",
                    java.sql.Timestamp.class)).as("released after the run").isNull();
        } finally {
            jdbc.update("update cluster_run set lease_until = null where name = 'usage'");
        }
    }

    /**
     * A lease is judged by the database's clock, not the node's: a node whose own clock runs an hour ahead (or behind)
     * still waits for another node's run that is going on. Until 6 December it judged by its own clock, saw that
     * lease as run out, and both nodes asked AWS at once.
     */
    @Test
    void aNodeWhoseClockIsAnHourOffStillWaitsForAnotherNodesRun() {
        try {
            jdbc.update("update cluster_run set holder = 'another-node', started_at = now() - interval '1 minute', "
                    + "lease_until = now() + interval '9 minutes' where name = 'usage'");
            clock.advance(Duration.ofHours(1));
            assertThat(collection.collect("schedule", "S-it-" + UUID.randomUUID()).ran()).as("an hour ahead")
                    .isFalse();
            clock.advance(Duration.ofHours(-2));
            assertThat(collection.collect("schedule", "S-it-" + UUID.randomUUID()).ran()).as("an hour behind")
                    .isFalse();
            assertThat(jdbc.queryForObject("select holder from cluster_run where name = 'usage'", String.class))
                    .isEqualTo("another-node");

            jdbc.update("update cluster_run set lease_until = now() - interval '1 second' where name = 'usage'");
            assertThat(collection.collect("schedule", "S-it-" + UUID.randomUUID()).ran())
                    .as("the lease ran out by the database's clock (this node's is an hour behind)").isTrue();
        } finally {
            jdbc.update("update cluster_run set lease_until = null where name = 'usage'");
        }
    }

    @Test
    void refreshNowIsForSecurityAndAdminsAndAudited() {
        assertThatThrownBy(() -> RunAs.user("alice", () -> collection.collectNow("alice"), "REQUESTER"))
                .isInstanceOf(AccessDeniedException.class);

        UsageCollection.Outcome o = RunAs.user("sara", () -> collection.collectNow("sara"), "SECURITY");

        assertThat(o.ran()).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where actor = 'sara' and action = ? and "
                + "details like ?", Long.class, UsageCollection.AUDIT_REFRESHED, "usage and spend refreshed: %"))
                .isPositive();
    }
}
