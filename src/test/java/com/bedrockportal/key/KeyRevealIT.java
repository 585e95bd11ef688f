package com.bedrockportal.key;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.internal.MasterKeyRotation;
import com.bedrockportal.key.internal.SecretSealer;
import com.bedrockportal.key.internal.SecretSealerTest;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reveal on PostgreSQL: exactly one of 20 simultaneous attempts gets the key; only the requester; fresh login. */
class KeyRevealIT extends PostgresSupport {

    @Autowired
    KeyReveal reveal;
    @Autowired
    ApiKeys keys;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    long requestId;
    String key;
    long unitId;

    @BeforeEach
    void aProvisionedKey() {
        BusinessUnit unit = Fixtures.unit(units, "rv");
        unitId = unit.id();
        StoredKeys stored = StoredKeys.provision(jdbc, keys, unit);
        requestId = stored.requestId();
        key = stored.key();
    }

    private KeyReveal.Result revealAs(String user, boolean fresh) {
        return new StoredKeys(requestId, key).revealAs(reveal, user, fresh);
    }

    @Test
    void twentySimultaneousRevealsGiveTheKeyExactlyOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Callable<KeyReveal.Result>> attempts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            attempts.add(() -> revealAs("alice", true));
        }
        List<KeyReveal.Result> results = new ArrayList<>();
        for (Future<KeyReveal.Result> f : pool.invokeAll(attempts)) {
            results.add(f.get());
        }
        pool.shutdown();
        List<KeyReveal.Revealed> shown = results.stream().filter(KeyReveal.Revealed.class::isInstance)
                .map(KeyReveal.Revealed.class::cast).toList();
        assertThat(shown).hasSize(1);
        assertThat(new String(shown.get(0).key())).isEqualTo(key);
        assertThat(results).filteredOn(KeyReveal.AlreadyRevealed.class::isInstance).hasSize(19);
        assertThat(jdbc.queryForObject("select sealed_secret from api_key where request_id = ?", String.class,
                requestId)).isNull();
        assertThat(jdbc.queryForObject("select revealed_by from api_key where request_id = ?", String.class,
                requestId)).isEqualTo("alice");
    }

    @Test
    void withoutAFreshLoginTheUserIsSentToLogInAgainAndNothingIsConsumed() {
        assertThat(revealAs("alice", false)).isInstanceOfSatisfying(KeyReveal.LoginAgain.class,
                again -> assertThat(again.url()).contains("/oauth2/authorization/portal?reauth=1"));
        assertThat(jdbc.queryForObject("select sealed_secret from api_key where request_id = ?", String.class,
                requestId)).isNotNull();
    }

    @Test
    void nobodyButTheRequesterRevealsAndTheAttemptIsAudited() {
        assertThat(revealAs("sara", true)).isInstanceOf(KeyReveal.NotAvailable.class);
        assertThat(revealAs("adam", true)).isInstanceOf(KeyReveal.NotAvailable.class);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where actor in ('sara', 'adam') "
                + "and action = 'ACCESS_DENIED' and target = ?", Integer.class, "reveal key of request:" + requestId))
                .isEqualTo(2);
        assertThat(jdbc.queryForObject("select sealed_secret from api_key where request_id = ?", String.class,
                requestId)).isNotNull();
    }

    /** The requester left the unit before revealing: the key is not handed over, the attempt is audited. */
    @Test
    void aRequesterWhoLeftTheUnitNoLongerRevealsTheKey() {
        jdbc.update("delete from business_unit_member where business_unit_id = ? and username = 'alice'", unitId);
        assertThat(revealAs("alice", true)).isInstanceOfSatisfying(KeyReveal.NotAvailable.class,
                n -> assertThat(n.reason()).contains("no longer a member"));
        assertThat(jdbc.queryForObject("select sealed_secret from api_key where request_id = ?", String.class,
                requestId)).isNotNull();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where actor = 'alice' and action = "
                + "'ACCESS_DENIED' and target like ?", Integer.class, "%request:" + requestId + "%no longer a member%"))
                .isEqualTo(1);

        // Back in the unit, within the reveal window: the key is revealed once, as before.
        jdbc.update("insert into business_unit_member (business_unit_id, username) values (?, 'alice')", unitId);
        assertThat(revealAs("alice", true)).isInstanceOf(KeyReveal.Revealed.class);
    }

    @Autowired
    com.bedrockportal.provisioning.Provisioner provisioner;
    @Autowired
    com.bedrockportal.lifecycle.KeyActions keyActions;

    /** While its request is still being provisioned the key is held: not shown, nothing consumed; then it is. */
    @Test
    void aKeyHeldByItsProvisioningIsShownOnlyOnceReleased() {
        jdbc.update("update api_key set held = true where request_id = ?", requestId);
        assertThat(revealAs("alice", true)).isInstanceOfSatisfying(KeyReveal.NotAvailable.class,
                n -> assertThat(n.reason()).contains("not ready yet"));
        assertThat(jdbc.queryForObject("select sealed_secret from api_key where request_id = ?", String.class,
                requestId)).isNotNull();
        // Released after its window would have ended (a step stuck for days): the window counts from the release.
        jdbc.update("update api_key set reveal_deadline = ? where request_id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(60)), requestId);
        keys.release(requestId, Duration.ofDays(3));
        assertThat(revealAs("alice", true)).isInstanceOf(KeyReveal.Revealed.class);
    }

    /** Once the window has passed the key is never shown, even while its window step has not run yet. */
    @Test
    void aKeyWhoseRevealWindowPassedIsNotShownBeforeItsStepRan() {
        jdbc.update("update api_key set reveal_deadline = ? where request_id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(5)), requestId);
        assertThat(revealAs("alice", true)).isInstanceOfSatisfying(KeyReveal.NotAvailable.class,
                n -> assertThat(n.reason()).contains("not revealed in time"));
        assertThat(jdbc.queryForObject("select revealed_at from api_key where request_id = ?", Object.class,
                requestId)).isNull();
        assertThat(jdbc.queryForObject("select status from api_key where request_id = ?", String.class, requestId))
                .isEqualTo("PENDING_REVEAL");
    }

    /**
     * A key a manager disabled before its reveal: when the window passes, its sealed copy goes all the same, and
     * security can no longer turn on a key nobody holds.
     */
    @Test
    void aKeyDisabledBeforeItsRevealLosesItsSealedCopyWhenTheWindowPasses() {
        jdbc.update("update api_key set status = 'INACTIVE', status_changed_by = 'mike', status_reason = 'Paused', "
                + "reveal_deadline = ? where request_id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(120)), requestId);
        assertThat(provisioner.disableUnrevealedKey(requestId)).isFalse();
        assertThat(jdbc.queryForObject("select sealed_secret from api_key where request_id = ?", String.class,
                requestId)).isNull();
        long keyId = keys.forRequest(requestId).orElseThrow().id();
        assertThatThrownBy(() -> RunAs.user("sara", () -> keyActions.reenable(keyId, "Back on"), "SECURITY"))
                .isInstanceOf(com.bedrockportal.lifecycle.KeyActions.Refused.class)
                .hasMessageContaining("nobody holds it");
        assertThat(jdbc.queryForObject("select status from api_key where request_id = ?", String.class, requestId))
                .isEqualTo("INACTIVE");
    }

    @Autowired
    MasterKeyRotation rotation;
    @Autowired
    SecretSealer sealer;

    @Test
    void aKeySealedUnderThePreviousMasterKeyIsRewrappedAndStillReveals() {
        SecretSealer previous = new SecretSealer(SecretSealerTest.randomKey());
        SecretSealer.Sealed old = previous.seal(key.toCharArray(), ApiKeys.context(requestId));
        jdbc.update("update api_key set sealed_secret = ?, wrapped_key = ?, master_key_id = ? where request_id = ?",
                Base64.getEncoder().encodeToString(old.ciphertext()),
                Base64.getEncoder().encodeToString(old.wrappedKey()), previous.masterKeyId(), requestId);
        assertThat(rotation.rewrap(previous)).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForObject("select master_key_id from api_key where request_id = ?", String.class,
                requestId)).isEqualTo(sealer.masterKeyId());
        assertThat(revealAs("alice", true)).isInstanceOfSatisfying(KeyReveal.Revealed.class,
                r -> assertThat(new String(r.key())).isEqualTo(key));
    }

    @Autowired
    SealedSettings settings;

    @Test
    void aSealedSettingIsStoredSealedBoundToItsNameAndRewrappedByRotation() {
        String url = "https://hooks.slack.com/services/T1/B2/" + UUID.randomUUID();
        settings.put("it.rotation", url, "…" + url.substring(url.length() - 4), "adam");
        assertThat(jdbc.queryForList("select * from sealed_setting where name = 'it.rotation'").get(0).values())
                .noneMatch(v -> String.valueOf(v).contains(url) || String.valueOf(v).contains("hooks.slack"));
        assertThat(settings.open("it.rotation")).contains(url);
        // Moved to another name, the bytes do not open.
        jdbc.update("insert into sealed_setting select 'it.moved', sealed_value, wrapped_key, master_key_id, hint, "
                + "updated_by, updated_at from sealed_setting where name = 'it.rotation'");
        assertThatThrownBy(() -> settings.open("it.moved")).isInstanceOf(SecretSealer.SealingException.class)
                .message().doesNotContain(url);

        SecretSealer previous = new SecretSealer(SecretSealerTest.randomKey());
        SecretSealer.Sealed old = previous.seal(url.toCharArray(), SealedSettings.context("it.rotation"));
        jdbc.update("update sealed_setting set sealed_value = ?, wrapped_key = ?, master_key_id = ? "
                + "where name = 'it.rotation'", Base64.getEncoder().encodeToString(old.ciphertext()),
                Base64.getEncoder().encodeToString(old.wrappedKey()), previous.masterKeyId());
        assertThatThrownBy(() -> settings.open("it.rotation")).isInstanceOf(SecretSealer.SealingException.class);
        rotation.rewrap(previous);
        assertThat(settings.open("it.rotation")).contains(url);
        assertThat(settings.remove("it.rotation")).isTrue();
        assertThat(settings.open("it.rotation")).isEmpty();
        settings.remove("it.moved");
    }

    /** A rotation that fails half-way (the second key cannot be opened) re-wraps nothing: all or none. */
    @Test
    void aRotationThatFailsHalfWayLeavesEveryKeyAsItWas() {
        SecretSealer previous = new SecretSealer(SecretSealerTest.randomKey());
        long first = requestId;
        sealUnder(previous, first, key);
        aProvisionedKey();
        long second = requestId;
        sealUnder(previous, second, key);
        jdbc.update("update api_key set wrapped_key = ? where request_id = ?",
                Base64.getEncoder().encodeToString(new byte[60]), second);

        assertThatThrownBy(() -> rotation.rewrap(previous))
                .isInstanceOf(RuntimeException.class);
        assertThat(jdbc.queryForList("select master_key_id from api_key where request_id in (?, ?)", String.class,
                first, second)).containsOnly(previous.masterKeyId());
    }

    private void sealUnder(SecretSealer master, long request, String secret) {
        SecretSealer.Sealed sealed = master.seal(secret.toCharArray(), ApiKeys.context(request));
        jdbc.update("update api_key set sealed_secret = ?, wrapped_key = ?, master_key_id = ? where request_id = ?",
                Base64.getEncoder().encodeToString(sealed.ciphertext()),
                Base64.getEncoder().encodeToString(sealed.wrappedKey()), master.masterKeyId(), request);
    }

    @Test
    void theStoredRowHoldsOnlySealedBytesAndThePrefix() {
        assertThat(jdbc.queryForList("select * from api_key where request_id = ?", requestId).get(0).values())
                .allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain(key.substring(12)));
        assertThat(jdbc.queryForObject("select key_prefix from api_key where request_id = ?", String.class,
                requestId)).isEqualTo(key.substring(0, 12));
    }
}
