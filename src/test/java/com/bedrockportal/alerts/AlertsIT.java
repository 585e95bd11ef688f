package com.bedrockportal.alerts;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The alerts against PostgreSQL and the simulated account: figures written into the usage tables as the usage
 * collection would write them raise each alert once (evaluating again changes nothing, security is told once), newer
 * evidence updates the open alert, and security's actions really act — the key is Inactive in the account, a
 * compromise case is open — while a dismissal needs a reason and keeps the condition quiet. Wrong roles are refused.
 */
class AlertsIT extends PostgresSupport {

    @Autowired
    Alerts alerts;
    @Autowired
    SimulatedAccount aws;
    @Autowired
    ApiKeys keys;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    BusinessUnit unit;
    long app;
    ApiKey key;

    @BeforeEach
    void anApplicationWithAnActiveKey() {
        unit = Fixtures.unit(units, "al", Set.of("mike"), Set.of("alice"));
        app = Fixtures.application(jdbc, unit, "main");
        key = AlertFixtures.activeKey(jdbc, aws, keys, unit, app);
    }

    /** {@code n} refused calls with the key, a second apart, starting {@code ago} before now. */
    private void deniedCalls(int n, Duration ago) {
        AlertFixtures.deniedCalls(jdbc, app, key, n, ago);
    }

    private void event(String kind, Instant at, String ip, String error) {
        AlertFixtures.event(jdbc, app, key, kind, at, ip, error);
    }

    private List<Map<String, Object>> alertsOfApp() {
        return jdbc.queryForList("select * from alert where application_id = ? order by id", app);
    }

    private long only(String rule) {
        List<Long> ids = jdbc.queryForList("select id from alert where application_id = ? and rule = ?", Long.class,
                app, rule);
        assertThat(ids).as("alerts of rule " + rule).hasSize(1);
        return ids.get(0);
    }

    private int notices(long alertId) {
        return jdbc.queryForObject("select count(*) from notification where recipient = 'sara' and link = ?",
                Integer.class, "alerts/" + alertId);
    }

    private <T> T asSara(java.util.function.Supplier<T> action) {
        return RunAs.user("sara", action, "SECURITY");
    }

    @Test
    void evaluatingTwiceRaisesEachAlertOnceAndTellsSecurityOnce() {
        deniedCalls(12, Duration.ofHours(1));
        event("OUTSIDE_RANGE", Instant.now().minus(Duration.ofMinutes(30)), "203.0.113.66", null);
        jdbc.update("""
                insert into spend_month (scope, scope_id, period, business_unit_id, budget_name, budget_usd,
                    actual_usd, forecast_usd, alert_threshold, refreshed_at)
                values ('APPLICATION', ?, ?, ?, 'al-main-bedrock-monthly', 300, 250, 310, 80, now())""", app,
                java.time.YearMonth.now(ZoneOffset.UTC).toString(), unit.id());

        Alerts.Outcome first = alerts.evaluate();
        Alerts.Outcome second = alerts.evaluate();

        assertThat(first.raised()).isGreaterThanOrEqualTo(3);
        assertThat(second.raised()).isZero();
        assertThat(alertsOfApp()).extracting(r -> r.get("rule")).containsExactlyInAnyOrder("DENIED_BURST",
                "OUTSIDE_IP_RANGE", "SPEND_OVER_BUDGET");
        long burst = only("DENIED_BURST");
        assertThat(notices(burst)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from mail_outbox where recipient = "
                + "'sara@example.com' and body like ?", Integer.class, "%/alerts/" + burst + "\n%")).isEqualTo(1);
        Alert a = asSara(() -> alerts.page(burst)).orElseThrow().alert();
        assertThat(a.keyId()).isEqualTo(key.id());
        assertThat(a.measure()).isEqualTo(12);
        assertThat(a.occurrences()).isEqualTo(1);
        assertThat(a.evidence()).contains("12 calls refused within 5 minutes", "198.51.100.7", key.credentialId());
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'ALERT_RAISED' and target = ?",
                Integer.class, "alert:" + burst)).isEqualTo(1);

        // Newer refused calls: the same open alert, one more occurrence, no new notice.
        deniedCalls(15, Duration.ofMinutes(10));
        alerts.evaluate();
        assertThat(only("DENIED_BURST")).isEqualTo(burst);
        Alert updated = asSara(() -> alerts.page(burst)).orElseThrow().alert();
        assertThat(updated.occurrences()).isEqualTo(2);
        assertThat(updated.measure()).isEqualTo(15);
        assertThat(updated.lastSeenAt()).isAfter(a.lastSeenAt());
        assertThat(notices(burst)).isEqualTo(1);

        assertThat(asSara(() -> alerts.list(new Alerts.Filter(Alert.Status.OPEN, null, Alert.Rule.DENIED_BURST))))
                .extracting(Alert::id).contains(burst);
        assertThat(asSara(() -> alerts.openCounts()).get(Alert.Severity.HIGH)).isGreaterThanOrEqualTo(3);
    }

    @Test
    void disablingTheKeyFromAnAlertSetsItInactiveInTheAccountAndClosesTheAlert() {
        deniedCalls(10, Duration.ofHours(2));
        alerts.evaluate();
        long id = only("DENIED_BURST");

        Alert done = asSara(() -> alerts.disableKey(id, "burst from an unknown client"));

        assertThat(done.status()).isEqualTo(Alert.Status.ACTED);
        assertThat(done.action()).isEqualTo(Alert.Action.KEY_DISABLED);
        assertThat(done.actedBy()).isEqualTo("sara");
        assertThat(jdbc.queryForObject("select status from sandbox_credential where id = ?", String.class,
                key.credentialId())).isEqualTo("Inactive");
        assertThat(keys.find(key.id()).orElseThrow().status().name()).isEqualTo("INACTIVE");
        assertThat(keys.find(key.id()).orElseThrow().statusReason()).contains("Security alert #" + id,
                "burst from an unknown client");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'ALERT_KEY_DISABLED' and "
                + "actor = 'sara' and target = ?", Integer.class, "alert:" + id)).isEqualTo(1);
        // Acting twice: refused, nothing changes.
        assertThatThrownBy(() -> asSara(() -> alerts.dismiss(id, "again"))).isInstanceOf(Alerts.Refused.class)
                .hasMessageContaining("closed already by sara");
        // The same burst, evaluated again, stays closed.
        alerts.evaluate();
        assertThat(only("DENIED_BURST")).isEqualTo(id);
    }

    /** AWS refuses: security reads AWS's reason on the alert, which stays open, and can act again once AWS answers. */
    @Test
    void whenAwsRefusesTheDisableTheAlertSaysWhyAndStaysOpen() {
        deniedCalls(10, Duration.ofHours(2));
        alerts.evaluate();
        long id = only("DENIED_BURST");
        com.bedrockportal.sandbox.Faults.failing(aws, "UpdateServiceSpecificCredential", "ACCESS_DENIED");
        try {
            assertThatThrownBy(() -> asSara(() -> alerts.disableKey(id, "burst from an unknown client")))
                    .isInstanceOf(Alerts.Refused.class).hasMessageContaining("AWS refused");
        } finally {
            com.bedrockportal.sandbox.Faults.none(aws);
        }
        assertThat(jdbc.queryForObject("select status from alert where id = ?", String.class, id)).isEqualTo("OPEN");
        assertThat(keys.find(key.id()).orElseThrow().status().name()).isEqualTo("ACTIVE");
        assertThat(asSara(() -> alerts.disableKey(id, "burst from an unknown client")).status())
                .isEqualTo(Alert.Status.ACTED);
    }

    @Test
    void openingACompromiseCaseFromAnAlertOpensTheCaseOfItsKey() {
        event("OUTSIDE_RANGE", Instant.now().minus(Duration.ofMinutes(5)), "203.0.113.9", null);
        alerts.evaluate();
        long id = only("OUTSIDE_IP_RANGE");

        long caseId = asSara(() -> alerts.openCompromiseCase(id, "calls from an address we do not know"));

        assertThat(jdbc.queryForObject("select key_id from compromise_case where id = ?", Long.class, caseId))
                .isEqualTo(key.id());
        assertThat(jdbc.queryForObject("select reported_by from compromise_case where id = ?", String.class, caseId))
                .isEqualTo("sara");
        Alert closed = asSara(() -> alerts.page(id)).orElseThrow().alert();
        assertThat(closed.action()).isEqualTo(Alert.Action.COMPROMISE_OPENED);
        assertThat(closed.compromiseCaseId()).isEqualTo(caseId);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'ALERT_COMPROMISE_OPENED' "
                + "and target = ?", Integer.class, "alert:" + id)).isEqualTo(1);
    }

    @Test
    void dismissingNeedsAReasonAndKeepsTheConditionQuietUntilItIsMateriallyWorse() {
        deniedCalls(10, Duration.ofHours(3));
        alerts.evaluate();
        long id = only("DENIED_BURST");

        assertThatThrownBy(() -> asSara(() -> alerts.dismiss(id, "   "))).isInstanceOfSatisfying(FieldErrors.class,
                e -> assertThat(e.errors()).containsEntry("reason", "Give a reason."));
        assertThatThrownBy(() -> asSara(() -> alerts.dismiss(id, "x".repeat(Alerts.MAX_REASON + 1))))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors()).containsKey("reason"));
        assertThat(asSara(() -> alerts.page(id)).orElseThrow().alert().open()).isTrue();

        Alert dismissed = asSara(() -> alerts.dismiss(id, "load test of the partner team"));
        assertThat(dismissed.status()).isEqualTo(Alert.Status.DISMISSED);
        assertThat(dismissed.reason()).isEqualTo("load test of the partner team");
        alerts.evaluate();
        assertThat(alertsOfApp()).hasSize(1);

        // Twice the refused calls in one window: materially worse, a new alert (and notice).
        deniedCalls(20, Duration.ofMinutes(20));
        alerts.evaluate();
        List<Long> ids = jdbc.queryForList("select id from alert where application_id = ? and rule = 'DENIED_BURST' "
                + "and status = 'OPEN'", Long.class, app);
        assertThat(ids).singleElement().isNotEqualTo(id);
        assertThat(notices(ids.get(0))).isEqualTo(1);
    }

    @Test
    void onlySecurityAndAdminsActManagersSeeTheirUnitsOthersNothing() {
        deniedCalls(10, Duration.ofHours(1));
        alerts.evaluate();
        long id = only("DENIED_BURST");

        assertThatThrownBy(() -> RunAs.user("alice", () -> alerts.dismiss(id, "not mine to close"), "REQUESTER"))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> RunAs.user("mike", () -> alerts.disableKey(id, "manager"), "MANAGER", "REQUESTER"))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> RunAs.user("alice", () -> alerts.list(new Alerts.Filter(null, null, null)),
                "REQUESTER")).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> RunAs.user("sara", () -> alerts.evaluateNow(), "ADMIN"))
                .isInstanceOf(AccessDeniedException.class);
        // mike manages the unit: he sees the alert, read-only; another manager does not.
        Alerts.AlertPage mikes = RunAs.user("mike", () -> alerts.page(id), "MANAGER").orElseThrow();
        assertThat(mikes.mayDismiss() || mikes.mayDisable() || mikes.mayOpenCase()).isFalse();
        assertThat(RunAs.user("mike", () -> alerts.list(new Alerts.Filter(null, null, null)), "MANAGER"))
                .allMatch(a -> a.businessUnitId() != null).extracting(Alert::id).contains(id);
        assertThat(RunAs.user("nora", () -> alerts.page(id), "MANAGER")).isEmpty();
        assertThat(RunAs.user("nora", () -> alerts.list(new Alerts.Filter(null, null, null)), "MANAGER")).isEmpty();
        // An admin may dismiss, but the key actions leave disabling to security, owners and managers.
        Alerts.AlertPage adams = RunAs.user("adam", () -> alerts.page(id), "ADMIN").orElseThrow();
        assertThat(adams.mayDisable()).isFalse();
        assertThat(adams.mayDismiss()).isTrue();
        assertThat(jdbc.queryForObject("select status from sandbox_credential where id = ?", String.class,
                key.credentialId())).isEqualTo("Active");
        assertThat(asSara(() -> alerts.page(id)).orElseThrow().alert().open()).isTrue();
    }

    @Test
    void theEvaluationReadsOnlyTheLookbackAndLeavesOldEventsAlone() {
        deniedCalls(30, Duration.ofHours(30));
        Alerts.Outcome o = alerts.evaluate();
        assertThat(alertsOfApp()).isEmpty();
        assertThat(o.failed()).isZero();
    }
}
