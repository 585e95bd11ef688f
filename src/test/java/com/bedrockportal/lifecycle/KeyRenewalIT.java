package com.bedrockportal.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.bedrockportal.application.KeyRenewal;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestDraft;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;
import com.bedrockportal.workflow.PendingApproval;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Renew through the services on PostgreSQL with the real engine and the simulated account: the owner of an
 * application whose key runs out asks for a new key with the same access, the unit's manager alone approves it and
 * provisioning issues the key; a second renewal, someone else's, one for a key that does not run out, or one the
 * request rules refuse creates nothing; a renewal whose stored request is edited to widen access goes to security.
 */
class KeyRenewalIT extends PostgresSupport {

    @Autowired
    KeyRenewal renewals;
    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ExpiryWatch watch;

    BusinessUnit unit;
    long appId;
    long keyId;
    String iamUser;

    @BeforeEach
    void alicesApplicationHasAKeyExpiringInFiveDays() {
        unit = Fixtures.unit(units, "renew", Set.of("mike"), Set.of("alice", "bob"));
        AccessRequest created = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        decide("mike", created.id(), "MANAGER");
        decide("sara", created.id(), "SECURITY");
        awaitStatus(created.id(), RequestStatus.PROVISIONED);
        appId = jdbc.queryForObject("select application_id from access_request where id = ?", Long.class,
                created.id());
        iamUser = jdbc.queryForObject("select iam_user from application where id = ?", String.class, appId);
        keyId = jdbc.queryForObject("select id from api_key where request_id = ?", Long.class, created.id());
        Instant now = Instant.now();
        jdbc.update("update api_key set status = 'ACTIVE', revealed_at = ?, revealed_by = 'alice', sealed_secret = null,"
                + " wrapped_key = null, created_at = ?, expires_at = ? where id = ?",
                now.minus(Duration.ofDays(9)).atOffset(ZoneOffset.UTC),
                now.minus(Duration.ofDays(9)).atOffset(ZoneOffset.UTC),
                now.plus(Duration.ofDays(5)).atOffset(ZoneOffset.UTC), keyId);
    }

    @Test
    void theOwnerRenewsTheManagerAloneApprovesAndANewKeyWithTheSameAccessIsIssued() {
        KeyRenewal.Offer offer = RunAs.user("alice", () -> renewals.offer(appId), "REQUESTER").orElseThrow();
        assertThat(offer.keyId()).isEqualTo(keyId);
        assertThat(offer.mayRenew()).isTrue();
        assertThat(offer.expired()).isFalse();
        assertThat(RunAs.user("bob", () -> renewals.offer(appId), "REQUESTER").orElseThrow().mayRenew())
                .as("another member sees it, only the owner renews").isFalse();

        String submission = UUID.randomUUID().toString();
        long id = RunAs.user("alice", () -> renewals.renew(appId, submission), "REQUESTER");
        AccessRequest r = RunAs.user("alice", () -> requests.find(id), "REQUESTER").orElseThrow();
        assertThat(r.kind()).isEqualTo(AccessRequest.Kind.CHANGE);
        assertThat(r.renewal()).isTrue();
        assertThat(r.newKey()).isTrue();
        assertThat(r.securityReview()).isFalse();
        assertThat(r.change().widens()).isFalse();
        assertThat(r.change().renewal()).isTrue();
        assertThat(r.models()).containsExactly("amazon.nova-lite-v1:0");
        assertThat(r.lifetimeDays()).as("the application's lifetime").isEqualTo(14);
        assertThat(r.purpose()).startsWith("Renewal of key");
        assertThat(jdbc.queryForObject("select details from audit_event where action = 'REQUEST_SUBMITTED' and "
                + "target = ?", String.class, "request:" + id)).contains("renewal=true").contains("new-key=true");

        KeyRenewal.Offer waiting = RunAs.user("alice", () -> renewals.offer(appId), "REQUESTER").orElseThrow();
        assertThat(waiting.openRequestId()).isEqualTo(id);
        assertThat(waiting.mayRenew()).isFalse();
        assertThatThrownBy(() -> RunAs.user("alice", () -> renewals.renew(appId, UUID.randomUUID().toString()),
                "REQUESTER")).isInstanceOf(KeyRenewal.Refused.class)
                .hasMessageContaining("A renewal is already waiting for approval: request #" + id);
        assertThat(requestsOf(appId)).isEqualTo(2);
        assertThat(RunAs.user("mike", () -> approvals.inbox().stream().filter(p -> p.requestId() == id)
                .map(PendingApproval::managerOnly).findFirst(), "MANAGER")).contains(true);

        decide("mike", id, "MANAGER");
        awaitStatus(id, RequestStatus.PROVISIONED);
        assertThat(jdbc.queryForList("select stage from request_decision where request_id = ?", String.class, id))
                .containsExactly("MANAGER");
        assertThat(jdbc.queryForObject("select count(*) from sandbox_credential where user_name = ?", Integer.class,
                iamUser)).as("the old key and its renewal").isEqualTo(2);
        assertThat(jdbc.queryForObject("select extract(day from expires_at - created_at) from api_key "
                + "where request_id = ?", Integer.class, id)).isEqualTo(14);
        assertThat(RunAs.user("alice", () -> renewals.offer(appId), "REQUESTER"))
                .as("the new key outlives the reminder period").isEmpty();
    }

    @Test
    void onlyTheOwnerRenewsAKeyThatRunsOutAndARefusalCreatesNothing() {
        assertThatThrownBy(() -> RunAs.user("bob", () -> renewals.renew(appId, UUID.randomUUID().toString()),
                "REQUESTER")).isInstanceOf(KeyRenewal.Refused.class).hasMessageContaining("(alice)");

        // The application's access no longer passes a request's rules: refused with the reason, nothing stored.
        jdbc.update("update application set models = 'vendor.withdrawn-model-v1:0' where id = ?", appId);
        assertThatThrownBy(() -> RunAs.user("alice", () -> renewals.renew(appId, UUID.randomUUID().toString()),
                "REQUESTER")).isInstanceOf(KeyRenewal.Refused.class).hasMessageContaining("not in the model catalog");
        assertThat(requestsOf(appId)).isEqualTo(1);
        jdbc.update("update application set models = 'amazon.nova-lite-v1:0' where id = ?", appId);

        // A key that does not run out: a new key is a change for security, not a renewal.
        jdbc.update("update api_key set expires_at = ? where id = ?",
                Instant.now().plus(Duration.ofDays(20)).atOffset(ZoneOffset.UTC), keyId);
        assertThat(RunAs.user("alice", () -> renewals.offer(appId), "REQUESTER")).isEmpty();
        assertThatThrownBy(() -> RunAs.user("alice", () -> renewals.renew(appId, UUID.randomUUID().toString()),
                "REQUESTER")).isInstanceOf(KeyRenewal.Refused.class).hasMessageContaining("expires within 7 days");

        // A key a person revoked does not "run out": no renewal around security.
        jdbc.update("update api_key set status = 'REVOKED', status_changed_by = 'sara', expires_at = ? where id = ?",
                Instant.now().minus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC), keyId);
        assertThat(RunAs.user("alice", () -> renewals.offer(appId), "REQUESTER")).isEmpty();
        assertThat(requestsOf(appId)).isEqualTo(1);
    }

    @Test
    void aKeyTheWatchDeletedAfterItsExpiryCanStillBeRenewed() {
        jdbc.update("update api_key set status = 'DELETED', status_changed_by = ?, expires_at = ? where id = ?",
                ExpiryWatch.ACTOR, Instant.now().minus(Duration.ofDays(8)).atOffset(ZoneOffset.UTC), keyId);
        Optional<KeyRenewal.Offer> offer = RunAs.user("alice", () -> renewals.offer(appId), "REQUESTER");
        assertThat(offer).hasValueSatisfying(o -> assertThat(o.expired()).isTrue());
        long id = RunAs.user("alice", () -> renewals.renew(appId, UUID.randomUUID().toString()), "REQUESTER");
        assertThat(jdbc.queryForObject("select renewal from access_request where id = ?", Boolean.class, id)).isTrue();
    }

    @Test
    void aKeyAPersonDisabledIsNotRenewedOnceTheWatchHasDeletedIt() {
        // mike disabled it; it expired 8 days ago and the watch deletes it, as it deletes every expired key.
        jdbc.update("update api_key set status = 'INACTIVE', status_changed_by = 'mike', expires_at = ? where id = ?",
                Instant.now().minus(Duration.ofDays(8)).atOffset(ZoneOffset.UTC), keyId);
        watch.check();
        assertThat(jdbc.queryForObject("select status from api_key where id = ?", String.class, keyId))
                .isEqualTo("DELETED");
        assertThat(jdbc.queryForObject("select status_changed_by from api_key where id = ?", String.class, keyId))
                .isEqualTo(ExpiryWatch.ACTOR);
        assertThat(RunAs.user("alice", () -> renewals.offer(appId), "REQUESTER")).isEmpty();
        assertThatThrownBy(() -> RunAs.user("alice", () -> renewals.renew(appId, UUID.randomUUID().toString()),
                "REQUESTER")).isInstanceOf(KeyRenewal.Refused.class);
        assertThat(requestsOf(appId)).isEqualTo(1);
    }

    @Test
    void aRenewalWhoseStoredRequestWasEditedToWidenAccessGoesToSecurity() {
        long id = RunAs.user("alice", () -> renewals.renew(appId, UUID.randomUUID().toString()), "REQUESTER");
        // Behind the portal's back the stored request now asks for more than the application has.
        jdbc.update("update access_request set regions = 'us-east-1,us-west-2' where id = ?", id);
        decide("mike", id, "MANAGER");
        assertThat(jdbc.queryForObject("select status from access_request where id = ?", String.class, id))
                .isEqualTo(RequestStatus.PENDING_SECURITY.name());
    }

    private int requestsOf(long app) {
        return jdbc.queryForObject("select count(*) from access_request where application_id = ?", Integer.class,
                app);
    }

    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactionManager;

    /**
     * A change of the application submitted while the renewal waits for the change's claim on the application: once
     * the change has committed the renewal is refused as any renewal with a request open is, naming that request (it
     * said "cannot be asked as it is" and quoted the form's message).
     */
    @Test
    void aRenewalThatMeetsAChangeSubmittedAtTheSameMomentNamesIt() throws Exception {
        RequestDraft change = Fixtures.request(unit.id());
        change.setKind(AccessRequest.Kind.CHANGE);
        change.setApplicationId(appId);
        change.setPurpose("Lower the budget while the renewal is asked for.");
        change.setMonthlyBudget(new java.math.BigDecimal("50"));
        // Keys whose rows meet neither each other nor the application's: only the application's claim makes it wait.
        String renewalKey = com.bedrockportal.request.ClaimRows.renewalKeyApart(appId, change);
        java.util.concurrent.atomic.AtomicLong changeId = new java.util.concurrent.atomic.AtomicLong();
        Object renewal = com.bedrockportal.testsupport.WhileHeld.secondWaits(transactionManager, jdbc,
                () -> changeId.set(RunAs.user("alice", () -> requests.submit(change), "REQUESTER").id()),
                () -> RunAs.user("alice", () -> renewals.renew(appId, renewalKey), "REQUESTER"),
                "%submission_lock%for update%");
        assertThat(renewal).isInstanceOfSatisfying(KeyRenewal.Refused.class, e -> assertThat(e).hasMessage(
                "Request #" + changeId.get() + " for this application is still open; renew once it is decided (or "
                        + "withdraw it)."));
        assertThat(requestsOf(appId)).isEqualTo(2);
    }

    private void decide(String user, long requestId, String role) {
        RunAs.user(user, () -> approvals.decide(requestId, true, null), role);
    }

    private void awaitStatus(long id, RequestStatus expected) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> expected.name().equals(jdbc.queryForObject(
                "select status from access_request where id = ?", String.class, id)));
    }
}
