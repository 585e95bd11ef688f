package com.bedrockportal.key;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.Reauthentication;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;

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

    @BeforeEach
    void aProvisionedKey() {
BusinessUnit unit = com.bedrockportal.testsupport.Fixtures.unit(units, "rv");
        requestId = jdbc.queryForObject("""
                insert into access_request (business_unit_id, requester, purpose, models, regions, source_cidrs,
                    lifetime_days, monthly_budget, alert_threshold, alert_emails, store_secret, owner_email,
                    data_classification, status, submission_key, created_at, updated_at)
                values (?, 'alice', 'reveal test', 'amazon.nova-lite-v1:0', 'us-east-1', '', 30, 100, 80,
                    'alice@example.com', false, 'alice@example.com', 'INTERNAL', 'PROVISIONED', ?, now(), now())
                returning id""", Long.class, unit.id(), UUID.randomUUID().toString());
        key = "ABSK" + UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        keys.store(requestId, "alice", unit.id(), unit.slug() + "-bedrock-user",
                "ACCA" + UUID.randomUUID().toString().substring(0, 17).toUpperCase().replace("-", "X"), Instant.now(),
                Instant.now().plus(Duration.ofDays(30)), key.toCharArray(), Duration.ofDays(3), "us-east-1",
                "amazon.nova-lite-v1:0");
    }

    /** Runs as alice in a request whose session says she logged in again just now (or not). */
    private KeyReveal.Result revealAs(String user, boolean fresh) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        if (fresh) {
            request.getSession(true).setAttribute(Reauthentication.SESSION_ATTRIBUTE, Instant.now());
        }
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        try {
            return RunAs.user(user, () -> reveal.reveal(requestId), "REQUESTER");
        } finally {
            RequestContextHolder.resetRequestAttributes();
        }
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

    @Autowired
    MasterKeyRotation rotation;
    @Autowired
    SecretSealer sealer;

    @Test
    void aKeySealedUnderThePreviousMasterKeyIsRewrappedAndStillReveals() {
        SecretSealer previous = new SecretSealer(SecretSealerTest.randomKey());
        SecretSealer.Sealed old = previous.seal(key.toCharArray(), ApiKeys.context(requestId));
        jdbc.update("update api_key set sealed_secret = ?, wrapped_key = ?, master_key_id = ? where request_id = ?",
                java.util.Base64.getEncoder().encodeToString(old.ciphertext()),
                java.util.Base64.getEncoder().encodeToString(old.wrappedKey()), previous.masterKeyId(), requestId);
        assertThat(rotation.rewrap(previous)).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForObject("select master_key_id from api_key where request_id = ?", String.class,
                requestId)).isEqualTo(sealer.masterKeyId());
        assertThat(revealAs("alice", true)).isInstanceOfSatisfying(KeyReveal.Revealed.class,
                r -> assertThat(new String(r.key())).isEqualTo(key));
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
                java.util.Base64.getEncoder().encodeToString(new byte[60]), second);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rotation.rewrap(previous))
                .isInstanceOf(RuntimeException.class);
        assertThat(jdbc.queryForList("select master_key_id from api_key where request_id in (?, ?)", String.class,
                first, second)).containsOnly(previous.masterKeyId());
    }

    private void sealUnder(SecretSealer master, long request, String secret) {
        SecretSealer.Sealed sealed = master.seal(secret.toCharArray(), ApiKeys.context(request));
        jdbc.update("update api_key set sealed_secret = ?, wrapped_key = ?, master_key_id = ? where request_id = ?",
                java.util.Base64.getEncoder().encodeToString(sealed.ciphertext()),
                java.util.Base64.getEncoder().encodeToString(sealed.wrappedKey()), master.masterKeyId(), request);
    }

    @Test
    void theStoredRowHoldsOnlySealedBytesAndThePrefix() {
        assertThat(jdbc.queryForList("select * from api_key where request_id = ?", requestId).get(0).values())
                .allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain(key.substring(12)));
        assertThat(jdbc.queryForObject("select key_prefix from api_key where request_id = ?", String.class,
                requestId)).isEqualTo(key.substring(0, 12));
    }
}
