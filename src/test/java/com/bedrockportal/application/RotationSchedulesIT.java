package com.bedrockportal.application;

import java.util.Set;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitDraft;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.businessunit.RotateEvery;
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
 * Scheduled rotation settings on PostgreSQL: an application follows its unit's default (P30D unless the admin changed
 * it, and every later change of it) until its owner, a manager of the unit or security sets its own or turns it off;
 * only the five choices are accepted; every change is audited.
 */
class RotationSchedulesIT extends PostgresSupport {

    @Autowired
    RotationSchedules schedules;
    @Autowired
    ApplicationService applications;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    BusinessUnit unit;
    long app;

    @BeforeEach
    void aliceOwnsAnApplicationOfAUnitWithBob() {
        unit = Fixtures.unit(units, "rot", Set.of("mike"), Set.of("alice", "bob"));
        app = Fixtures.application(jdbc, unit, "copy");
    }

    @Test
    void anApplicationFollowsItsUnitsDefaultAlsoWhenTheAdminChangesItUntilItSetsItsOwn() {
        assertThat(unit.rotateEvery()).isEqualTo(RotateEvery.P30D);
        RotationSchedules.Schedule initial = schedule();
        assertThat(initial.followsUnit()).isTrue();
        assertThat(initial.effective()).isEqualTo(RotateEvery.P30D);

        setUnitDefault(RotateEvery.P90D);
        assertThat(schedule().effective()).as("the unit default applies to who does not override it")
                .isEqualTo(RotateEvery.P90D);
        assertThat(jdbc.queryForObject("select details from audit_event where action = 'BU_UPDATED' and target = ? "
                + "order by seq desc limit 1", String.class, "business-unit:" + unit.slug()))
                .contains("key-rotation: P30D -> P90D");

        RotationSchedules.Schedule own = RunAs.user("alice", () -> schedules.change(app, "P7D"), "REQUESTER");
        assertThat(own.followsUnit()).isFalse();
        assertThat(own.effective()).isEqualTo(RotateEvery.P7D);
        setUnitDefault(RotateEvery.OFF);
        assertThat(schedule().effective()).as("an override stays").isEqualTo(RotateEvery.P7D);
        assertThat(scheduledApplication()).isTrue();

        RunAs.user("mike", () -> schedules.change(app, "OFF"), "MANAGER");
        assertThat(schedule().effective()).isEqualTo(RotateEvery.OFF);
        RunAs.user("sara", () -> schedules.change(app, RotationSchedules.FOLLOW_UNIT), "SECURITY");
        assertThat(schedule().followsUnit()).isTrue();
        assertThat(schedule().effective()).isEqualTo(RotateEvery.OFF);
        assertThat(jdbc.queryForList("select details from audit_event where action = ? and target = ? order by seq",
                String.class, RotationSchedules.AUDIT_ROTATION_CHANGED, "application:" + app)).containsExactly(
                        "key rotation: unit default P90D -> P7D", "key rotation: P7D -> OFF",
                        "key rotation: OFF -> unit default OFF");
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and title like ?",
                Integer.class, "Key rotation of Application copy changed")).as("told when others changed it")
                .isEqualTo(2);
    }

    @Test
    void onlyTheFiveChoicesAndOnlyTheOwnerManagersAndSecurity() {
        assertThatThrownBy(() -> RunAs.user("alice", () -> schedules.change(app, "P14D"), "REQUESTER"))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors().get("rotateEvery"))
                        .contains("every 7, 30, 60 or 90 days"));
        assertThatThrownBy(() -> RunAs.user("alice", () -> schedules.change(app, null), "REQUESTER"))
                .isInstanceOf(FieldErrors.class);
        assertThatThrownBy(() -> RunAs.user("bob", () -> schedules.change(app, "OFF"), "REQUESTER"))
                .isInstanceOf(ApplicationOwners.Refused.class).hasMessageContaining("Only the owner");
        assertThatThrownBy(() -> RunAs.user("adam", () -> schedules.change(app, "OFF"), "ADMIN"))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(schedule().followsUnit()).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'ACCESS_DENIED' and target "
                + "like ?", Integer.class, "%key rotation of application:" + app)).isEqualTo(1);
    }

    /**
     * New keys straight to Secrets Manager: only for an application that keeps a copy (refused beside the field
     * otherwise, nothing changed), audited with the schedule; dropping the copy makes its rotations reveal again.
     */
    @Test
    void newKeysGoStraightToSecretsManagerOnlyWhereTheApplicationKeepsACopy() {
        app = Fixtures.application(jdbc, unit, "vault"); // its own: the other tests count "Application copy" notices
        jdbc.update("update application set store_secret = false, secret_name = null where id = ?", app);
        assertThat(schedule().delivery()).isEqualTo(RotationSchedules.Delivery.REVEAL);
        assertThatThrownBy(() -> RunAs.user("alice", () -> schedules.change(app, "P7D", "SECRETS_MANAGER"),
                "REQUESTER")).isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors())
                        .containsOnlyKeys("rotationDelivery").extractingByKey("rotationDelivery").asString()
                        .contains("keeps no Secrets Manager copy"));
        assertThatThrownBy(() -> RunAs.user("alice", () -> schedules.change(app, "P14D", "BY_PIGEON"), "REQUESTER"))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors())
                        .containsOnlyKeys("rotateEvery", "rotationDelivery"));
        assertThat(schedule().followsUnit()).as("nothing half-changed").isTrue();

        jdbc.update("update application set store_secret = true, secret_name = ? where id = ?", "rot/copy/key", app);
        RotationSchedules.Schedule after = RunAs.user("mike", () -> schedules.change(app,
                RotationSchedules.FOLLOW_UNIT, " SECRETS_MANAGER "), "MANAGER");
        assertThat(after.effectiveDelivery()).isEqualTo(RotationSchedules.Delivery.SECRETS_MANAGER);
        assertThat(jdbc.queryForObject("select body from notification where recipient = 'alice' and link = ?",
                String.class, "applications/" + app)).as("the owner is told")
                .contains("mike changed").contains("new keys straight to Secrets Manager");
        assertThat(RunAs.user("alice", () -> schedules.change(app, "P7D"), "REQUESTER").delivery())
                .as("a schedule change alone keeps it").isEqualTo(RotationSchedules.Delivery.SECRETS_MANAGER);
        assertThat(jdbc.queryForList("select details from audit_event where action = ? and target = ? order by seq",
                String.class, RotationSchedules.AUDIT_ROTATION_CHANGED, "application:" + app)).containsExactly(
                        "key rotation: unit default P30D -> unit default P30D, new keys straight to Secrets Manager",
                        "key rotation: unit default P30D, new keys straight to Secrets Manager -> P7D, new keys "
                                + "straight to Secrets Manager");
        assertThat(schedules.activeSchedules(app - 1, 1).stream().filter(s -> s.applicationId() == app).findFirst()
                .orElseThrow().effectiveDelivery()).isEqualTo(RotationSchedules.Delivery.SECRETS_MANAGER);

        jdbc.update("update application set store_secret = false where id = ?", app); // a change dropped the copy
        assertThat(schedule().effectiveDelivery()).isEqualTo(RotationSchedules.Delivery.REVEAL);
        assertThat(schedules.deliveryOf(applications.load(app))).isEqualTo(RotationSchedules.Delivery.REVEAL);
        assertThat(RunAs.user("alice", () -> schedules.change(app, "P30D", "SECRETS_MANAGER"), "REQUESTER")
                .effective()).as("kept as set: a schedule change is not refused for it").isEqualTo(RotateEvery.P30D);
    }

    private RotationSchedules.Schedule schedule() {
        return RunAs.user("alice", () -> schedules.of(applications.load(app)), "REQUESTER");
    }

    private boolean scheduledApplication() {
        return schedules.activeSchedules(app - 1, 1).stream()
                .anyMatch(s -> s.applicationId() == app && s.effective().on());
    }

    private void setUnitDefault(RotateEvery every) {
        BusinessUnitDraft d = BusinessUnitDraft.of(units.find(unit.id()).orElseThrow());
        d.setRotateEvery(every);
        RunAs.user("adam", () -> units.update(d), "ADMIN");
    }
}
