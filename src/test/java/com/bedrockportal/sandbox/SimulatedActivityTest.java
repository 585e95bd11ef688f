package com.bedrockportal.sandbox;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import com.bedrockportal.provisioning.ActivityTrail;
import com.bedrockportal.provisioning.ActivityTrail.TrailEvent;
import com.bedrockportal.provisioning.ActivityTrailContract;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.PolicyBuilder;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.provisioning.SpendReports;
import com.bedrockportal.provisioning.SpendReports.DailySpend;
import com.bedrockportal.provisioning.SpendReportsContract;
import com.bedrockportal.testsupport.MutableClock;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.bedrockportal.provisioning.Contracts.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The simulated account's CloudTrail and Cost Explorer pass the ports' contracts, and simulate a key's use
 * deterministically: the same question gets the same answer, the past stays as it was, and the calls follow the
 * user's policy (mostly from its ranges and regions; now and then from elsewhere, refused).
 */
class SimulatedActivityTest implements ActivityTrailContract, SpendReportsContract {

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    static JdbcClient jdbc;
    final MutableClock clock = new MutableClock(NOW);
    SimulatedAccount account;

    @BeforeAll
    static void database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:sandbox-activity;DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/common", "classpath:db/migration/h2")
                .load().migrate();
        jdbc = JdbcClient.create((DataSource) ds);
    }

    @BeforeEach
    void account() {
        account = new SimulatedAccount(jdbc, SimulatedAccountTest.AWS, noFaults(), clock);
    }

    private static SandboxProperties noFaults() {
        return new SandboxProperties(Duration.ZERO, 0, "", "TRANSIENT");
    }

    // --- contracts

    @Override
    public ActivityTrail activityTrail() {
        return account.activity();
    }

    @Override
    public SpendReports spendReports() {
        return account.activity();
    }

    @Override
    public Instant windowStart() {
        return NOW.minus(Duration.ofDays(20));
    }

    @Override
    public LocalDate firstDay() {
        return LocalDate.of(2026, 2, 1);
    }

    /** A user with a key created now (so its simulated calls are all after the window), and the calls recorded. */
    @Override
    public List<TrailEvent> arrangeEvents(String userName, List<TrailEvent> events) {
        account.createUser(userName, "/", Map.of());
        String key = account.createServiceCredential(userName, ServiceCredentials.BEDROCK_SERVICE, 30).credential()
                .credentialId();
        return events.stream().map(e -> account.activity().record(new SimulatedActivity.Invocation(key, e.time(),
                e.eventName(), e.sourceIp(), e.userAgent(), e.region(), e.errorCode(), null))).toList();
    }

    @Override
    public void failLookups(CloudException.Kind kind) {
        account.rehearse(new SandboxProperties(Duration.ZERO, 0, "LookupEvents", kind.name()));
    }

    @Override
    public void failReports(CloudException.Kind kind) {
        account.rehearse(new SandboxProperties(Duration.ZERO, 0, "GetCostAndUsage", kind.name()));
    }

    @Override
    public void recover() {
        account.rehearse(noFaults());
    }

    @Override
    public void arrangeSpend(String unit, String app, List<BigDecimal> amounts, String other,
            List<BigDecimal> otherAmounts) {
        spend(unit, app, amounts);
        spend(unit, other, otherAmounts);
    }

    private void spend(String unit, String app, List<BigDecimal> amounts) {
        String user = unit + "-" + app;
        account.createUser(user, "/", Map.of("business-unit", unit, "application", app));
        String key = account.createServiceCredential(user, ServiceCredentials.BEDROCK_SERVICE, 30).credential()
                .credentialId();
        for (int i = 0; i < amounts.size(); i++) {
            if (amounts.get(i).signum() > 0) {
                account.activity().record(new SimulatedActivity.Invocation(key, firstDay().plusDays(i).atTime(12, 0)
                        .toInstant(java.time.ZoneOffset.UTC), "InvokeModel", null, null, null, null, amounts.get(i)));
            }
        }
    }

    // --- the simulated use of a key

    /** An application's user with its policy (one range, two regions) and a key, created at that time. */
    private String[] applicationWithKeySince(Instant created, String unit, String app) {
        clock.set(created);
        String user = unit + "-" + app + "-bedrock";
        account.createUser(user, "/", Map.of("business-unit", unit, "application", app));
        clock.advance(Duration.ofSeconds(1));
        account.putUserPolicy(user, "bedrock-access-portal", PolicyBuilder.build(new PolicyBuilder.PolicyInput(
                List.of(), List.of("us-east-1", "eu-west-1"), List.of("192.0.2.0/24"), "123456789012")));
        clock.advance(Duration.ofSeconds(1));
        String key = account.createServiceCredential(user, ServiceCredentials.BEDROCK_SERVICE, 365).credential()
                .credentialId();
        clock.set(NOW);
        return new String[] { user, key };
    }

    @Test
    void aKeysSimulatedCallsAreTheSameEveryTimeAndStayInTheirRange() {
        String[] uk = applicationWithKeySince(NOW.minus(Duration.ofDays(70)), unique("u"), "app");
        Instant from = NOW.minus(Duration.ofDays(7));
        List<TrailEvent> first = account.activity().eventsOfUser(uk[0], from, NOW, ActivityTrail.MAX_EVENTS);
        clock.advance(Duration.ofDays(2));
        List<TrailEvent> later = new SimulatedAccount(jdbc, SimulatedAccountTest.AWS, noFaults(), clock).activity()
                .eventsOfUser(uk[0], from, NOW, ActivityTrail.MAX_EVENTS);

        assertThat(later).as("the past does not change").isEqualTo(first);
        assertThat(first).as("at least two calls on each of the six whole days").hasSizeGreaterThanOrEqualTo(12).allSatisfy(e -> {
            assertThat(e.time()).isBetween(from, NOW);
            assertThat(e.credentialId()).isEqualTo(uk[1]);
            assertThat(e.eventSource()).isEqualTo("bedrock.amazonaws.com");
            assertThat(e.eventName()).startsWith("InvokeModel");
            assertThat(e.userAgent()).isNotBlank();
        });
        assertThat(first).isSortedAccordingTo(java.util.Comparator.comparing(TrailEvent::time).reversed());
        assertThat(first).filteredOn(e -> e.errorCode() == null).allSatisfy(e -> {
            assertThat(SimulatedPolicy.inRange(e.sourceIp(), "192.0.2.0/24")).as(e.sourceIp()).isTrue();
            assertThat(e.region()).isIn("us-east-1", "eu-west-1");
        });
        assertThat(first).filteredOn(e -> !SimulatedPolicy.inRange(e.sourceIp(), "192.0.2.0/24")
                || !List.of("us-east-1", "eu-west-1").contains(e.region()))
                .allSatisfy(e -> assertThat(e.errorCode()).isEqualTo("AccessDenied"));
    }

    @Test
    void overSixtyDaysSomeCallsComeFromOutsideTheRangesAndAreRefused() {
        String[] uk = applicationWithKeySince(NOW.minus(Duration.ofDays(89)), unique("u"), "app");
        List<TrailEvent> all = new java.util.ArrayList<>();
        for (int week = 0; week < 12; week++) {
            Instant to = NOW.minus(Duration.ofDays(7L * week));
            all.addAll(account.activity().eventsOfUser(uk[0], to.minus(Duration.ofDays(7)), to,
                    ActivityTrail.MAX_EVENTS));
        }
        assertThat(all).extracting(TrailEvent::errorCode).contains("AccessDenied", (String) null);
        assertThat(all).filteredOn(e -> !SimulatedPolicy.inRange(e.sourceIp(), "192.0.2.0/24")).isNotEmpty();
        assertThat(all).extracting(TrailEvent::userAgent).hasSizeGreaterThan(1);
    }

    @Test
    void thePortalsOwnIamCallsOnTheUserAreInItsTrail() {
        String[] uk = applicationWithKeySince(NOW.minus(Duration.ofDays(3)), unique("u"), "app");
        account.updateServiceCredentialStatus(uk[0], uk[1], false);
        List<TrailEvent> events = account.activity().eventsOfUser(uk[0], NOW.minus(Duration.ofDays(4)),
                NOW.plusSeconds(1), ActivityTrail.MAX_EVENTS);
        assertThat(events).filteredOn(e -> e.eventSource().equals("iam.amazonaws.com"))
                .extracting(TrailEvent::eventName).containsExactly("UpdateServiceSpecificCredential",
                        "CreateServiceSpecificCredential", "PutUserPolicy", "CreateUser");
        assertThat(events).filteredOn(e -> e.eventSource().equals("bedrock.amazonaws.com")).isNotEmpty();
    }

    @Test
    void callsWithADisabledKeyAreRefusedAndStillCost() {
        String[] uk = applicationWithKeySince(NOW.minus(Duration.ofDays(30)), unique("u"), "app");
        clock.set(NOW.minus(Duration.ofDays(10)));
        account.updateServiceCredentialStatus(uk[0], uk[1], false);
        clock.set(NOW);
        List<TrailEvent> afterwards = account.activity().eventsOfUser(uk[0], NOW.minus(Duration.ofDays(10)), NOW,
                ActivityTrail.MAX_EVENTS);
        assertThat(afterwards).filteredOn(e -> e.eventSource().equals("bedrock.amazonaws.com")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.errorCode()).isEqualTo("AccessDenied"));
    }

    @Test
    void aLookUpBeyondCloudTrailsNinetyDaysOrBeforeTheKeyFindsNothingThere() {
        String[] uk = applicationWithKeySince(NOW.minus(Duration.ofDays(200)), unique("u"), "app");
        assertThat(account.activity().eventsOfUser(uk[0], NOW.minus(Duration.ofDays(150)),
                NOW.minus(Duration.ofDays(100)), 500)).isEmpty();
        String[] young = applicationWithKeySince(NOW.minus(Duration.ofDays(5)), unique("u"), "app");
        assertThat(account.activity().eventsOfUser(young[0], NOW.minus(Duration.ofDays(30)),
                NOW.minus(Duration.ofDays(5)).minusSeconds(1), 500)).isEmpty();
    }

    @Test
    void aRecordedCallWithoutDetailsLooksLikeTheKeysOtherCalls() {
        String[] uk = applicationWithKeySince(NOW.minus(Duration.ofDays(30)), unique("u"), "app");
        TrailEvent e = account.activity().record(SimulatedActivity.Invocation.of(uk[1], NOW.minusSeconds(60)));
        assertThat(e.credentialId()).isEqualTo(uk[1]);
        assertThat(SimulatedPolicy.inRange(e.sourceIp(), "192.0.2.0/24")).isTrue();
        assertThat(e.region()).isEqualTo("us-east-1");
        assertThat(e.errorCode()).isNull();
        assertThat(account.activity().eventsOfUser(uk[0], NOW.minusSeconds(120), NOW, 10)).contains(e);
        assertThatThrownBy(() -> account.activity().record(SimulatedActivity.Invocation.of("ACCANOSUCHKEY", NOW)))
                .isInstanceOfSatisfying(CloudException.class,
                        ex -> assertThat(ex.kind()).isEqualTo(CloudException.Kind.NOT_FOUND));
    }

    @Test
    void spendFollowsTheSimulatedCallsForSixtyDaysAndTheUnitCoversItsApplications() {
        String unit = unique("u");
        applicationWithKeySince(NOW.minus(Duration.ofDays(70)), unit, "chat");
        applicationWithKeySince(NOW.minus(Duration.ofDays(40)), unit, "search");
        LocalDate today = LocalDate.of(2026, 3, 2);
        List<DailySpend> chat = account.activity().dailySpend(unit, "chat", today.minusDays(60), today);
        List<DailySpend> search = account.activity().dailySpend(unit, "search", today.minusDays(60), today);
        List<DailySpend> all = account.activity().dailySpend(unit, null, today.minusDays(60), today);

        assertThat(chat).hasSize(60).extracting(DailySpend::day).startsWith(today.minusDays(60)).endsWith(today.minusDays(1));
        assertThat(chat.stream().filter(d -> d.amountUsd().signum() > 0).count()).isGreaterThan(40);
        assertThat(search.subList(0, 19)).allSatisfy(d -> assertThat(d.amountUsd()).isZero());
        for (int i = 0; i < 60; i++) {
            assertThat(all.get(i).amountUsd()).isEqualByComparingTo(chat.get(i).amountUsd()
                    .add(search.get(i).amountUsd()));
        }
        assertThat(new SimulatedAccount(jdbc, SimulatedAccountTest.AWS, noFaults(), clock).activity()
                .dailySpend(unit, "chat", today.minusDays(60), today)).as("deterministic").isEqualTo(chat);
        assertThat(chat).allSatisfy(d -> assertThat(d.amountUsd()).isLessThan(new BigDecimal("10")));
    }

    @Test
    void aDaysSpendIsWhatItsSuccessfulCallsCost() {
        String[] uk = applicationWithKeySince(NOW.minus(Duration.ofDays(10)), unique("u"), "app");
        LocalDate day = LocalDate.of(2026, 2, 25);
        Instant start = day.atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
        BigDecimal expected = account.activity().eventsOfUser(uk[0], start, start.plus(Duration.ofDays(1)), 500)
                .stream().filter(e -> e.eventSource().equals("bedrock.amazonaws.com"))
                .map(SimulatedActivity::usualCost).reduce(BigDecimal.ZERO, BigDecimal::add);
        String unit = uk[0].substring(0, uk[0].indexOf("-app-bedrock"));
        assertThat(account.activity().dailySpend(unit, "app", day, day.plusDays(1))).singleElement()
                .satisfies(d -> assertThat(d.amountUsd()).isEqualByComparingTo(expected).isPositive());
    }

    @Test
    void theAddressesOfARangeStayInIt() {
        for (int host = 0; host < 600; host += 37) {
            assertThat(SimulatedPolicy.inRange(SimulatedActivity.hostIn("192.0.2.0/24", host), "192.0.2.0/24")).isTrue();
            assertThat(SimulatedPolicy.inRange(SimulatedActivity.hostIn("10.1.0.0/16", host), "10.1.0.0/16")).isTrue();
            assertThat(SimulatedPolicy.inRange(SimulatedActivity.hostIn("2001:db8::/32", host), "2001:db8::/32"))
                    .isTrue();
        }
        assertThat(SimulatedActivity.hostIn("203.0.113.9/32", 5)).isEqualTo("203.0.113.9");
    }
}
