package com.bedrockportal.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import com.bedrockportal.application.RotationSchedules;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.Reauthentication;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.KeyReveal;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A confirmed compromise with the real rotation (no mock): the compromised key, disabled at once, is deleted and the
 * owner gets a new key through the rotation process — revealed once, no overlap (the old key must not work again) —
 * and never more than two keys exist for the IAM user.
 */
class CompromiseRotationIT extends PostgresSupport {

    @Autowired
    Compromises compromises;
    @Autowired
    KeyReveal reveal;
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
    @Autowired
    SimulatedAccount account;
    @Autowired
    RotationSchedules schedules;

    private String caseStatus(long id) {
        return jdbc.queryForObject("select status from compromise_case where id = ?", String.class, id);
    }

    @Test
    void aConfirmedCompromiseRotatesForRealAndTheOldKeyNeverWorksAgain() {
        LiveKeys live = new LiveKeys(jdbc, keys, users, credentials);
        BusinessUnit unit = Fixtures.unit(units, "cr", Set.of("mike"), Set.of("alice"));
        ApiKey key = live.issue(unit, "alice", true);
        long id = RunAs.user("alice", () -> compromises.report(key.id(), "Pasted in a public channel."), "REQUESTER")
                .id();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "TRIAGE".equals(caseStatus(id)));
        assertThat(live.inAws(key)).isEqualTo("Inactive");

        RunAs.user("sara", () -> compromises.triage(id, true, "Calls from an unknown address."), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "REPORT_DUE".equals(caseStatus(id)));
        Long rotation = jdbc.queryForObject("select rotation_id from compromise_case where id = ?", Long.class, id);
        assertThat(rotation).isNotNull();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "KEY_CREATED".equals(jdbc.queryForObject(
                "select status from key_rotation where id = ?", String.class, rotation)));
        assertThat(jdbc.queryForObject("select trigger_kind from key_rotation where id = ?", String.class, rotation))
                .isEqualTo("COMPROMISE");
        assertThat(live.inAws(key)).isNull();
        assertThat(live.status(key)).isIn("REVOKED", "DELETED");
        ApiKey fresh = keys.forRotation(rotation).orElseThrow();
        assertThat(live.inAws(fresh)).isEqualTo("Active");
        assertThat(credentials.listServiceCredentials(key.iamUser(), ServiceCredentials.BEDROCK_SERVICE)).hasSize(1);

        MockHttpServletRequest request = new MockHttpServletRequest();
        request.getSession(true).setAttribute(Reauthentication.SESSION_ATTRIBUTE, Instant.now());
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        try {
            assertThat(RunAs.user("alice", () -> reveal.revealKey(fresh.id()), "REQUESTER"))
                    .isInstanceOf(KeyReveal.Revealed.class);
        } finally {
            RequestContextHolder.resetRequestAttributes();
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "COMPLETED".equals(jdbc.queryForObject(
                "select status from key_rotation where id = ?", String.class, rotation)));
        assertThat(live.inAws(fresh)).isEqualTo("Active");
        assertThat(credentials.listServiceCredentials(key.iamUser(), ServiceCredentials.BEDROCK_SERVICE)).hasSize(1);
    }

    /**
     * The same with new keys straight into Secrets Manager: the compromised key never works again, and the new key
     * is what the application's copy serves with nobody revealing it; the rotation ends at once (no overlap).
     */
    @Test
    void aConfirmedCompromiseOfAnApplicationReadingSecretsManagerRecoversWithNobodyRevealing() {
        LiveKeys live = new LiveKeys(jdbc, keys, users, credentials);
        BusinessUnit unit = Fixtures.unit(units, "cs", Set.of("mike"), Set.of("alice"));
        ApiKey key = live.issue(unit, "alice", true);
        long app = jdbc.queryForObject("select application_id from api_key where id = ?", Long.class, key.id());
        String secret = unit.slug() + "/main/bedrock/api-key";
        jdbc.update("update application set store_secret = true, secret_name = ? where id = ?", secret, app);
        account.createSecret(secret, "ABSK-the-leaked-one".toCharArray(), Map.of(), "test");
        RunAs.user("alice", () -> schedules.change(app, RotationSchedules.FOLLOW_UNIT, "SECRETS_MANAGER"),
                "REQUESTER");

        long id = RunAs.user("alice", () -> compromises.report(key.id(), "Committed to a public repository."),
                "REQUESTER").id();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "TRIAGE".equals(caseStatus(id)));
        RunAs.user("sara", () -> compromises.triage(id, true, "Confirmed in the repository's history."), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "select rotation_id from compromise_case where id = ?", Long.class, id) != null);
        Long rotation = jdbc.queryForObject("select rotation_id from compromise_case where id = ?", Long.class, id);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "COMPLETED".equals(jdbc.queryForObject(
                "select status from key_rotation where id = ?", String.class, rotation)));

        ApiKey fresh = keys.forRotation(rotation).orElseThrow();
        assertThat(fresh.deliveredToSecret()).isTrue();
        assertThat(fresh.sealedCopy()).isFalse();
        assertThat(live.inAws(fresh)).isEqualTo("Active");
        assertThat(live.inAws(key)).as("the compromised key is gone").isNull();
        assertThat(live.copyServes(secret, fresh)).as("the copy serves the new key").isTrue();
        assertThat(credentials.listServiceCredentials(key.iamUser(), ServiceCredentials.BEDROCK_SERVICE)).hasSize(1);
    }
}
