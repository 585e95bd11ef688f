package com.bedrockportal.lifecycle;

import java.util.Set;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.KeyStatus;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.ServiceCredentials;
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
 * Key actions against PostgreSQL and the simulated account: who may, the reason, AWS and the record changed
 * together, audit and the owner told; a revoke frees the slot and can be retried.
 */
class KeyActionsIT extends PostgresSupport {

    @Autowired
    KeyActions actions;
    @Autowired
    ApiKeys keys;
    @Autowired
    IamUsers users;
    @Autowired
    ServiceCredentials credentials;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    LiveKeys live;
    BusinessUnit unit;
    ApiKey key;

    @BeforeEach
    void aliceHasARevealedKey() {
        live = new LiveKeys(jdbc, keys, users, credentials);
        // bob is a member of the unit but not the key's owner
        unit = Fixtures.unit(units, "ka", Set.of("mike"), Set.of("alice", "bob"));
        key = live.issue(unit, "alice", true);
    }

    @Test
    void theOwnerDisablesWithAReasonAndSecurityReEnables() {
        ApiKey disabled = RunAs.user("alice", () -> actions.disable(key.id(), "  laptop stolen  "), "REQUESTER");
        assertThat(disabled.status()).isEqualTo(KeyStatus.INACTIVE);
        assertThat(disabled.statusReason()).isEqualTo("laptop stolen");
        assertThat(disabled.statusChangedBy()).isEqualTo("alice");
        assertThat(live.inAws(key)).isEqualTo("Inactive");
        assertThat(live.audited("KEY_DISABLED", key)).isEqualTo(1);
        assertThat(live.notified("alice", key, "was disabled")).isEqualTo(1);

        assertThatThrownBy(() -> RunAs.user("alice", () -> actions.reenable(key.id(), "found it"), "REQUESTER"))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> RunAs.user("mike", () -> actions.reenable(key.id(), "found it"), "MANAGER",
                "REQUESTER")).isInstanceOf(AccessDeniedException.class);
        assertThat(live.inAws(key)).isEqualTo("Inactive");

        ApiKey back = RunAs.user("sara", () -> actions.reenable(key.id(), "laptop found, disk encrypted"),
                "SECURITY");
        assertThat(back.status()).isEqualTo(KeyStatus.ACTIVE);
        assertThat(live.inAws(key)).isEqualTo("Active");
        assertThat(live.audited("KEY_REENABLED", key)).isEqualTo(1);
        assertThat(live.notified("alice", key, "was re-enabled")).isEqualTo(1);
    }

    @Test
    void theUnitsManagerRevokesTheKeyIsDeletedInAwsAndItsSlotIsFree() {
        ApiKey second = live.issue(unit, "alice", true);
        assertThatThrownBy(() -> credentials.createServiceCredential(key.iamUser(),
                ServiceCredentials.BEDROCK_SERVICE, 30)).hasMessageContaining("quota");

        ApiKey revoked = RunAs.user("mike", () -> actions.revoke(key.id(), "project ended"), "MANAGER", "REQUESTER");

        assertThat(revoked.status()).isEqualTo(KeyStatus.REVOKED);
        assertThat(live.inAws(key)).isNull();
        assertThat(live.inAws(second)).isEqualTo("Active");
        assertThat(credentials.listServiceCredentials(key.iamUser(), ServiceCredentials.BEDROCK_SERVICE))
                .extracting(ServiceCredentials.ServiceCredential::credentialId)
                .containsExactly(second.credentialId());
        assertThat(credentials.createServiceCredential(key.iamUser(), ServiceCredentials.BEDROCK_SERVICE, 30)
                .credential().status()).isEqualTo("Active");
        assertThat(live.audited("KEY_REVOKED", key)).isEqualTo(1);
        assertThat(live.notified("alice", key, "was revoked")).isEqualTo(1);
        assertThat(keys.liveKeys(unit.id())).isEqualTo(1);

        assertThatThrownBy(() -> RunAs.user("sara", () -> actions.revoke(key.id(), "again"), "SECURITY"))
                .isInstanceOf(KeyActions.Refused.class).hasMessageContaining("already revoked");
        assertThatThrownBy(() -> RunAs.user("sara", () -> actions.disable(key.id(), "again"), "SECURITY"))
                .isInstanceOf(KeyActions.Refused.class).hasMessageContaining("already revoked");
        assertThat(live.audited("KEY_REVOKED", key)).isEqualTo(1);
    }

    @Test
    void aRevokeWhoseCredentialIsAlreadyGoneInAwsSucceeds() {
        // An earlier attempt deleted it in AWS, then failed before its transaction committed.
        credentials.deleteServiceCredential(key.iamUser(), key.credentialId());

        ApiKey revoked = RunAs.user("sara", () -> actions.revoke(key.id(), "leaked in a chat"), "SECURITY");

        assertThat(revoked.status()).isEqualTo(KeyStatus.REVOKED);
        assertThat(live.audited("KEY_REVOKED", key)).isEqualTo(1);
    }

    @Test
    void aRequesterWhoIsNotTheOwnerIsRefusedAuditedAndNothingChanges() {
        assertThatThrownBy(() -> RunAs.user("bob", () -> actions.revoke(key.id(), "not mine"), "REQUESTER"))
                .isInstanceOf(KeyActions.Refused.class)
                .hasMessageContaining("Its owner, the managers of its business unit and security");
        assertThatThrownBy(() -> RunAs.user("bob", () -> actions.disable(key.id(), "not mine"), "REQUESTER"))
                .isInstanceOf(KeyActions.Refused.class);
        // a manager of another unit
        assertThatThrownBy(() -> RunAs.user("carol", () -> actions.disable(key.id(), "x"), "MANAGER"))
                .isInstanceOf(KeyActions.Refused.class);
        // admins see keys but do not act on them
        assertThatThrownBy(() -> RunAs.user("adam", () -> actions.revoke(key.id(), "x"), "ADMIN"))
                .isInstanceOf(AccessDeniedException.class);

        assertThat(live.status(key)).isEqualTo("ACTIVE");
        assertThat(live.inAws(key)).isEqualTo("Active");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'ACCESS_DENIED' "
                + "and actor in ('bob', 'carol') and target like ?", Integer.class, "% key:" + key.id()))
                .isEqualTo(3);
        assertThat(RunAs.user("bob", () -> actions.page(key.id()), "REQUESTER")).get()
                .satisfies(p -> assertThat(p.actions()).isEmpty());
        assertThat(RunAs.user("alice", () -> actions.page(key.id()), "REQUESTER")).get()
                .satisfies(p -> assertThat(p.actions()).containsExactlyInAnyOrder(KeyActions.Action.DISABLE,
                        KeyActions.Action.REVOKE));
        assertThat(RunAs.user("carol", () -> actions.page(key.id()), "REQUESTER")).isEmpty();
    }

    @Test
    void afterAHandoverTheApplicationsNewOwnerActsOnItsKeysAndTheFormerOneNoLonger() {
        // The application is handed over to bob (as ApplicationOwners records a handover).
        jdbc.update("update application set owner = 'bob' where business_unit_id = ? and slug = 'main'", unit.id());
        assertThatThrownBy(() -> RunAs.user("alice", () -> actions.disable(key.id(), "mine?"), "REQUESTER"))
                .hasMessageContaining("You may not change this key");
        ApiKey disabled = RunAs.user("bob", () -> actions.disable(key.id(), "my application now"), "REQUESTER");
        assertThat(disabled.status()).isEqualTo(KeyStatus.INACTIVE);
        assertThat(live.notified("bob", key, "was disabled")).isEqualTo(1);
    }

    /**
     * A key adopted from AWS (drift) was never revealed here and has no sealed copy, yet someone uses it: security can
     * turn it back on after a disable (not "nobody holds it").
     */
    @Test
    void anAdoptedKeyIsReEnabledLikeARevealedOne() {
        jdbc.update("update api_key set revealed_at = null, revealed_by = null, sealed_secret = null, wrapped_key = "
                + "null, adopted_at = now(), adopted_by = 'sara', reveal_deadline = ? where id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(86_400)), key.id());
        RunAs.user("mike", () -> actions.disable(key.id(), "Checking who uses it"), "MANAGER");
        ApiKey back = RunAs.user("sara", () -> actions.reenable(key.id(), "The data team's; confirmed"),
                "SECURITY");
        assertThat(back.status()).isEqualTo(KeyStatus.ACTIVE);
        assertThat(live.inAws(key)).isEqualTo("Active");
    }

    /** An owner who left the unit (the application waits for a handover) can no longer act on its keys, nor see them. */
    @Test
    void anOwnerWhoLeftTheUnitNoLongerActsOnTheKeys() {
        jdbc.update("delete from business_unit_member where business_unit_id = ? and username = 'alice'", unit.id());
        assertThatThrownBy(() -> RunAs.user("alice", () -> actions.revoke(key.id(), "leaving anyway"), "REQUESTER"))
                .hasMessageContaining("You may not change this key");
        assertThat(RunAs.user("alice", () -> actions.page(key.id()), "REQUESTER")).isEmpty();
        assertThat(live.inAws(key)).isEqualTo("Active");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where actor = 'alice' and action = "
                + "'ACCESS_DENIED' and target in (?, ?)", Integer.class, "revoke key:" + key.id(), "key:" + key.id()))
                .isEqualTo(2);
    }

    @Test
    void everyActionNeedsAReasonOfAtMost500Characters() {
        assertThatThrownBy(() -> RunAs.user("alice", () -> actions.revoke(key.id(), "   "), "REQUESTER"))
                .isInstanceOfSatisfying(FieldErrors.class,
                        e -> assertThat(e.errors()).containsEntry("reason", "Give a reason."));
        assertThatThrownBy(() -> RunAs.user("alice", () -> actions.disable(key.id(), "x".repeat(501)), "REQUESTER"))
                .isInstanceOfSatisfying(FieldErrors.class,
                        e -> assertThat(e.errors()).containsEntry("reason", "At most 500 characters."));
        assertThat(live.status(key)).isEqualTo("ACTIVE");
        assertThat(live.inAws(key)).isEqualTo("Active");
    }

    @Test
    void aKeyNeverRevealedWhoseSealedCopyIsGoneCannotBeReEnabled() {
        ApiKey pending = live.issue(unit, "alice", false);
        RunAs.user("sara", () -> actions.disable(pending.id(), "suspicious"), "SECURITY");
        assertThat(live.status(pending)).isEqualTo("INACTIVE");
        // still sealed: re-enabling gives the owner back a key to reveal
        RunAs.user("sara", () -> actions.reenable(pending.id(), "false alarm"), "SECURITY");
        assertThat(live.status(pending)).isEqualTo("PENDING_REVEAL");

        keys.retireUnrevealed(pending.requestId());
        assertThatThrownBy(() -> RunAs.user("sara", () -> actions.reenable(pending.id(), "please"), "SECURITY"))
                .isInstanceOf(KeyActions.Refused.class).hasMessageContaining("nobody holds it");
    }
}
