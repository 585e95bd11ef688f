package com.bedrockportal.workflow;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestDraft;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Change requests through the services on PostgreSQL with the real engine and the simulated account: a change that
 * widens nothing goes to the manager only and changes the application in place without a key; a widening one goes to
 * security and issues the key it asked for; a change computed from an access that changed since, or whose recorded
 * baseline shows it widens, does not slip through.
 */
class ChangeRequestIT extends PostgresSupport {

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactionManager;
    @Autowired
    ProvisioningPreflight preflight;
    @Autowired
    com.bedrockportal.provisioning.IamUsers users;
    @Autowired
    com.bedrockportal.sandbox.SimulatedAccount account;

    BusinessUnit unit;
    AccessRequest created;
    long appId;
    String iamUser;

    @BeforeEach
    void aliceHasAnApplication() {
        unit = Fixtures.unit(units, "chg", Set.of("mike"), Set.of("alice"));
        created = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        decide("mike", created.id(), "MANAGER");
        decide("sara", created.id(), "SECURITY");
        awaitStatus(created.id(), RequestStatus.PROVISIONED);
        appId = jdbc.queryForObject("select application_id from access_request where id = ?", Long.class,
                created.id());
        iamUser = jdbc.queryForObject("select iam_user from application where id = ?", String.class, appId);
    }

    @Test
    void aNarrowingChangeNeedsTheManagerOnlyAndChangesTheApplicationInPlaceWithoutAKey() {
        RequestDraft d = change();
        d.setMonthlyBudget(new BigDecimal("50"));
        d.setLifetimeDays(7);
        d.setSourceCidrs("198.51.100.0/24");
        d.setOwnerEmail("copy-team@example.com");
        AccessRequest r = RunAs.user("alice", () -> requests.submit(d), "REQUESTER");
        assertThat(r.kind()).isEqualTo(AccessRequest.Kind.CHANGE);
        assertThat(r.securityReview()).isFalse();
        assertThat(r.applicationId()).isEqualTo(appId);

        decide("mike", r.id(), "MANAGER");
        awaitStatus(r.id(), RequestStatus.PROVISIONED);
        assertThat(jdbc.queryForList("select type from request_event where request_id = ? order by id", String.class,
                r.id())).containsExactly("SUBMITTED", "MANAGER_APPROVED", "PROVISIONING_STARTED", "ACCESS_CHANGED");
        assertThat(RunAs.user("sara", () -> approvals.inbox().stream().map(PendingApproval::requestId).toList(),
                "SECURITY")).doesNotContain(r.id());
        // In place: the same IAM user, its policy now limited to the range, the budget lowered, no second key.
        assertThat(jdbc.queryForObject("select document from sandbox_user_policy where user_name = ?", String.class,
                iamUser)).contains("aws:SourceIp").contains("198.51.100.0/24");
        assertThat(jdbc.queryForObject("select spec from sandbox_budget where budget_name = ?", String.class,
                unit.slug() + "-" + created.applicationSlug() + "-bedrock-monthly")).contains("50");
        assertThat(jdbc.queryForObject("select count(*) from sandbox_credential where user_name = ?", Integer.class,
                iamUser)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from api_key where request_id = ?", Integer.class, r.id()))
                .isZero();
        assertThat(jdbc.queryForMap("select owner_email, lifetime_days, source_cidrs from application where id = ?",
                appId)).containsEntry("lifetime_days", 7).containsEntry("source_cidrs", "198.51.100.0/24")
                .containsEntry("owner_email", "copy-team@example.com");
        // The tags follow the change: the owner's address and the request that changed it last.
        assertThat(jdbc.queryForList("select tag_key || '=' || tag_value from sandbox_iam_user_tag where user_name = ?",
                String.class, iamUser)).contains("owner=copy-team@example.com", "request-id=" + r.id())
                .doesNotContain("owner=alice@example.com");
        assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(processOf(r))
                .activityId("EndEvent_AccessChanged").count()).isEqualTo(1);
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(Long.toString(r.id())).count())
                .as("nothing waits for a reveal").isZero();
    }

    @Test
    void aWideningChangeGoesToSecurityAndIssuesTheKeyItAskedFor() {
        RequestDraft d = change();
        d.setRegions(List.of("us-east-1", "us-west-2"));
        d.setNewKey(true);
        AccessRequest r = RunAs.user("alice", () -> requests.submit(d), "REQUESTER");
        assertThat(r.securityReview()).isTrue();

        decide("mike", r.id(), "MANAGER");
        assertThat(status(r.id())).isEqualTo(RequestStatus.PENDING_SECURITY);
        decide("sara", r.id(), "SECURITY");
        awaitStatus(r.id(), RequestStatus.PROVISIONED);
        assertThat(jdbc.queryForObject("select document from sandbox_user_policy where user_name = ?", String.class,
                iamUser)).contains("us-west-2");
        assertThat(jdbc.queryForObject("select count(*) from sandbox_credential where user_name = ?", Integer.class,
                iamUser)).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from api_key where request_id = ? and application_id = ?",
                Integer.class, r.id(), appId)).isEqualTo(1);
        assertThat(runtime.createExecutionQuery().processInstanceBusinessKey(Long.toString(r.id()))
                .activityId("ReceiveTask_KeyRevealed").count()).isEqualTo(1);
    }

    /**
     * The Secrets Manager copy follows the application's changes: adding it needs a new key (the portal holds no
     * revealed key), dropping it deletes the copy (restorable for the recovery window), adding it again restores it
     * with the new key.
     */
    @Test
    void aCopyIsAddedWithANewKeyDeletedWhenDroppedAndRestoredWhenAskedAgain() {
        String secret = jdbc.queryForObject("select secret_name from application where id = ?", String.class, appId);
        RequestDraft without = change();
        without.setStoreSecret(true);
        assertThatThrownBy(() -> RunAs.user("alice", () -> requests.submit(without), "REQUESTER"))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors().get("storeSecret"))
                        .contains("needs a new key"));

        AccessRequest add = provisionedChange(true, true);
        assertThat(copyHoldsKeyOf(add)).isTrue();

        AccessRequest drop = provisionedChange(false, false);
        assertThat(drop.securityReview()).isFalse();
        assertThat(jdbc.queryForObject("select count(*) from sandbox_secret where name = ? and deletion_date is not null",
                Integer.class, secret)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select detail from provisioning_step where request_id = ? and step = 'SECRET'",
                String.class, drop.id())).contains("scheduled for deletion");

        // Room for another key (AWS allows two): the first one is gone.
        jdbc.update("delete from sandbox_credential where id = (select credential_id from api_key where request_id = ?)",
                created.id());
        jdbc.update("update api_key set status = 'DELETED' where request_id = ?", created.id());
        AccessRequest again = provisionedChange(true, true);
        assertThat(jdbc.queryForObject("select count(*) from sandbox_secret where name = ? and deletion_date is null",
                Integer.class, secret)).isEqualTo(1);
        assertThat(copyHoldsKeyOf(again)).isTrue();
    }

    private AccessRequest provisionedChange(boolean copy, boolean newKey) {
        RequestDraft d = change();
        d.setStoreSecret(copy);
        d.setNewKey(newKey);
        AccessRequest r = RunAs.user("alice", () -> requests.submit(d), "REQUESTER");
        decide("mike", r.id(), "MANAGER");
        if (r.securityReview()) {
            decide("sara", r.id(), "SECURITY");
        }
        awaitStatus(r.id(), RequestStatus.PROVISIONED);
        return r;
    }

    /** Whether the application's copy reads as the key the request issued (their fingerprints). */
    private boolean copyHoldsKeyOf(AccessRequest r) {
        return jdbc.queryForObject("""
                select count(*) from sandbox_secret s join application a on a.secret_name = s.name
                join api_key k on k.application_id = a.id where k.request_id = ? and s.fingerprint = k.fingerprint""",
                Integer.class, r.id()) == 1;
    }

    /**
     * The guardrail is part of the access: a change that requires one needs the manager only, a change that leaves the
     * field out (as an API call may) keeps it, and a change that removes it goes to security.
     */
    @Test
    void aChangeKeepsTheGuardrailUnlessItRemovesItAndRemovingItGoesToSecurity() {
        String guardrail = "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123def456:1";
        assertThat(managerOnlyChangeToBudget("80", guardrail)).contains("bedrock:GuardrailIdentifier")
                .contains("guardrail/abc123def456");
        assertThat(managerOnlyChangeToBudget("70", null)).contains("guardrail/abc123def456");

        RequestDraft removes = change();
        removes.setMonthlyBudget(new BigDecimal("60"));
        removes.setGuardrailArn("");
        assertThat(RunAs.user("alice", () -> requests.preview(removes), "REQUESTER").securityReview()).isTrue();
        AccessRequest third = RunAs.user("alice", () -> requests.submit(removes), "REQUESTER");
        assertThat(third.securityReview()).isTrue();
        decide("mike", third.id(), "MANAGER");
        assertThat(status(third.id())).isEqualTo(RequestStatus.PENDING_SECURITY);
        assertThat(jdbc.queryForObject("select document from sandbox_user_policy where user_name = ?", String.class,
                iamUser)).as("nothing changes before security decides").contains("guardrail/abc123def456");
    }

    /** A change of the budget with this guardrail, submitted, approved by the manager alone: the policy after. */
    private String managerOnlyChangeToBudget(String budget, String guardrail) {
        RequestDraft d = change();
        d.setMonthlyBudget(new BigDecimal(budget));
        d.setGuardrailArn(guardrail);
        AccessRequest r = RunAs.user("alice", () -> requests.submit(d), "REQUESTER");
        assertThat(r.securityReview()).isFalse();
        decide("mike", r.id(), "MANAGER");
        awaitStatus(r.id(), RequestStatus.PROVISIONED);
        return jdbc.queryForObject("select document from sandbox_user_policy where user_name = ?", String.class,
                iamUser);
    }

    @Test
    void aChangeComputedFromAnAccessThatChangedSinceIsNotAppliedAndChangesNothingInAws() {
        RequestDraft d = change();
        d.setMonthlyBudget(new BigDecimal("60"));
        AccessRequest r = RunAs.user("alice", () -> requests.submit(d), "REQUESTER");
        String policyBefore = jdbc.queryForObject("select document from sandbox_user_policy where user_name = ?",
                String.class, iamUser);
        // Meanwhile the application's access changed (as another approved change would have left it).
        jdbc.update("update application set regions = 'us-east-1,eu-central-1' where id = ?", appId);

        decide("mike", r.id(), "MANAGER");
        awaitStatus(r.id(), RequestStatus.PROVISIONING_FAILED);
        assertThat(jdbc.queryForObject("select comment from request_event where request_id = ? and type = ?",
                String.class, r.id(), "PROVISIONING_FAILED")).contains("changed after this request was submitted");
        assertThat(jdbc.queryForObject("select document from sandbox_user_policy where user_name = ?", String.class,
                iamUser)).isEqualTo(policyBefore);
    }

    @Test
    void aChangeWhoseRecordedBaselineShowsItWidensGoesToSecurityWhateverItsFlagSays() {
        RequestDraft d = change();
        d.setMonthlyBudget(new BigDecimal("70"));
        AccessRequest r = RunAs.user("alice", () -> requests.submit(d), "REQUESTER");
        assertThat(r.securityReview()).isFalse();
        // The row is edited behind the portal's back: the baseline now has less than the change asks for.
        jdbc.update("update access_request set base_monthly_budget = 10 where id = ?", r.id());

        decide("mike", r.id(), "MANAGER");
        assertThat(status(r.id())).isEqualTo(RequestStatus.PENDING_SECURITY);
        assertThat(RunAs.user("sara", () -> approvals.inbox().stream().map(PendingApproval::requestId).toList(),
                "SECURITY")).contains(r.id());
    }

    @Test
    void aSecondChangeWaitsUntilTheFirstIsDecided() {
        RequestDraft first = change();
        first.setMonthlyBudget(new BigDecimal("80"));
        RunAs.user("alice", () -> requests.submit(first), "REQUESTER");
        RequestDraft second = change();
        second.setLifetimeDays(3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunAs.user("alice", () -> requests.submit(second),
                "REQUESTER")).isInstanceOfSatisfying(com.bedrockportal.shared.FieldErrors.class,
                        e -> assertThat(e.errors().get("applicationId")).contains("already has a request waiting"));
    }

    @Test
    void aNewApplicationWhoseIamUserAlreadyExistsInAwsCannotBeApprovedUntilItIsGone() {
        AccessRequest r = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        String name = unit.slug() + "-" + r.applicationSlug() + "-bedrock";
        users.createUser(name, "/bedrock-portal/", java.util.Map.of("made-by", "someone else"));
        assertThat(preflight.checks(r)).filteredOn(c -> c.name().equals("iamUser")).singleElement()
                .satisfies(c -> assertThat(c.passed()).isFalse());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decide("mike", r.id(), "MANAGER"))
                .isInstanceOfSatisfying(com.bedrockportal.shared.FieldErrors.class, e -> assertThat(
                        e.errors().get("form")).contains(name + " already exists in AWS"));
        assertThat(status(r.id())).isEqualTo(RequestStatus.PENDING_MANAGER);
        RequestDraft d = change();
        d.setMonthlyBudget(new BigDecimal("90"));
        AccessRequest change = RunAs.user("alice", () -> requests.submit(d), "REQUESTER");
        assertThat(preflight.checks(change)).as("an application's own IAM user and budget are fine")
                .allSatisfy(c -> assertThat(c.passed()).isTrue()).extracting(c -> c.name())
                .containsExactly("policySize", "policySimulation", "iamUser", "budget");
    }

    /**
     * The account refuses the preflight's look-up: approvers are told the call, its kind and a log reference, and
     * the approval is refused with the same words, never AWS's own (which can name the portal's role and account).
     */
    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void aRefusedLookUpTellsApproversTheCallAndALogReferenceNotAwssWords(
            org.springframework.boot.test.system.CapturedOutput output) {
        AccessRequest r = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        com.bedrockportal.sandbox.SandboxFaults.fail(account, "GetUser", "ACCESS_DENIED");
        try {
            ProvisioningPreflight.Check failed = preflight.checks(r).stream().filter(c -> !c.passed())
                    .reduce((a, b) -> b).orElseThrow();
            assertThat(failed.name()).isEqualTo("account");
            assertThat(failed.detail()).contains("GetUser: access denied (log reference ")
                    .doesNotContain("injected failure");
            String reference = failed.detail().replaceAll("(?s).*log reference ([0-9a-f]+).*", "$1");
            assertThat(output.getOut()).as("the log line with that reference keeps AWS's words")
                    .containsPattern("log reference " + reference + "\\): GetUser: injected failure");
            assertThatThrownBy(() -> decide("mike", r.id(), "MANAGER")).isInstanceOfSatisfying(FieldErrors.class,
                    e -> assertThat(e.errors().get("form")).contains("GetUser: access denied (log reference ")
                            .doesNotContain("injected failure"));
            assertThat(status(r.id())).isEqualTo(RequestStatus.PENDING_MANAGER);
        } finally {
            com.bedrockportal.sandbox.SandboxFaults.clear(account);
        }
    }

    /**
     * A change fails at its last AWS step (the Secrets Manager copy is refused) after its tags, policy, key and budget
     * were applied: the key is deleted, and the tags, policy, budget and the application's record are put back as
     * they were before the request; the timeline, the requester's notice and the audit log say so.
     */
    @Test
    void aChangeThatFailsHalfWayIsPutBackAsTheApplicationWasBeforeIt() {
        // Handed over first, as ApplicationOwners does it (owner tag and record, no policy recorded): the put-back
        // tags the owner the application had before the change, not the one of the policy recorded last.
        jdbc.update("update application set owner_email = 'new-owner@example.com' where id = ?", appId);
        users.tagUser(iamUser, java.util.Map.of("owner", "new-owner@example.com"));
        String budgetName = unit.slug() + "-" + created.applicationSlug() + "-bedrock-monthly";
        String policyBefore = jdbc.queryForObject("select document from sandbox_user_policy where user_name = ?",
                String.class, iamUser);
        String budgetBefore = jdbc.queryForObject("select spec from sandbox_budget where budget_name = ?",
                String.class, budgetName);
        java.util.Map<String, String> tagsBefore = users.findUser(iamUser).orElseThrow().tags();
        java.util.Map<String, Object> recordBefore = jdbc.queryForMap("select models, monthly_budget, store_secret, "
                + "owner_email from application where id = ?", appId);

        java.util.function.Supplier<RequestDraft> widening = () -> {
            RequestDraft d = change();
            d.setModels(List.of("amazon.nova-lite-v1:0", "amazon.nova-micro-v1:0"));
            d.setMonthlyBudget(new BigDecimal("350"));
            d.setOwnerEmail("copy-team@example.com");
            d.setStoreSecret(true);
            d.setNewKey(true);
            return d;
        };
        AccessRequest r = RunAs.user("alice", () -> requests.submit(widening.get()), "REQUESTER");
        decide("mike", r.id(), "MANAGER");
        lastDecisionWhileAwsRefuses("CreateSecret", "sara", "SECURITY", r.id(), "CHANGE_PUT_BACK");
        assertThat(jdbc.queryForList("select step from provisioning_step where request_id = ?", String.class, r.id()))
                .as("the steps the change had applied").contains("IAM_USER", "POLICY", "API_KEY", "BUDGET");
        assertThat(jdbc.queryForObject("select document from sandbox_user_policy where user_name = ?", String.class,
                iamUser)).isEqualTo(policyBefore).doesNotContain("nova-micro");
        assertThat(jdbc.queryForObject("select spec from sandbox_budget where budget_name = ?", String.class,
                budgetName)).isEqualTo(budgetBefore);
        assertThat(users.findUser(iamUser).orElseThrow().tags()).isEqualTo(tagsBefore)
                .containsEntry("owner", "new-owner@example.com");
        assertThat(jdbc.queryForMap("select models, monthly_budget, store_secret, owner_email from application "
                + "where id = ?", appId)).isEqualTo(recordBefore);
        assertThat(jdbc.queryForObject("select status from api_key where request_id = ?", String.class, r.id()))
                .isEqualTo("DELETED");
        assertThat(jdbc.queryForObject("select comment from request_event where request_id = ? and type = "
                + "'CHANGE_PUT_BACK'", String.class, r.id())).contains("Least-privilege policy")
                .contains("Monthly budget");
        assertThat(jdbc.queryForObject("select body from notification where recipient = 'alice' and title = ?",
                String.class, "Provisioning of request #" + r.id() + " failed"))
                .contains("was put back as it was before the request");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'APPLICATION_ACCESS_PUT_BACK' "
                + "and target = ?", Integer.class, "application:" + appId)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select applied_by from applied_policy where application_id = ? order by "
                + "applied_at desc, id desc fetch first 1 rows only", String.class, appId)).contains("put back");

        // The application takes the same change again, from where it was.
        AccessRequest again = RunAs.user("alice", () -> requests.submit(widening.get()), "REQUESTER");
        decide("mike", again.id(), "MANAGER");
        decide("sara", again.id(), "SECURITY");
        awaitStatus(again.id(), RequestStatus.PROVISIONED);
        assertThat(jdbc.queryForObject("select document from sandbox_user_policy where user_name = ?", String.class,
                iamUser)).contains("nova-micro");
    }

    /**
     * AWS refuses the budget of a change after its tags and policy were applied, and refuses it again when it is put
     * back (put back first, as the last applied): nothing is put back, the timeline and the notice say so with the call
     * and a log reference, not AWS's words, and the application's record and AWS both keep the change's access.
     */
    @Test
    void aPutBackThatAwsRefusesSaysWhatWasNotPutBack() {
        RequestDraft d = change();
        d.setMonthlyBudget(new BigDecimal("90"));
        d.setSourceCidrs("198.51.100.0/24");
        AccessRequest r = RunAs.user("alice", () -> requests.submit(d), "REQUESTER");
        lastDecisionWhileAwsRefuses("UpdateBudget", "mike", "MANAGER", r.id(), "CHANGE_NOT_PUT_BACK");
        assertThat(jdbc.queryForObject("select comment from request_event where request_id = ? and type = "
                + "'CHANGE_NOT_PUT_BACK'", String.class, r.id())).startsWith("Nothing was put back. AWS refused to "
                        + "put back Monthly budget with alerts (UpdateBudget: access denied (log reference ")
                .doesNotContain("injected");
        assertThat(jdbc.queryForObject("select count(*) from request_event where request_id = ? and type = "
                + "'CHANGE_PUT_BACK'", Integer.class, r.id())).isZero();
        assertThat(jdbc.queryForObject("select body from notification where recipient = 'alice' and title = ?",
                String.class, "Provisioning of request #" + r.id() + " failed"))
                .contains("Nothing was put back: AWS refused").doesNotContain("injected");
        assertThat(jdbc.queryForObject("select document from sandbox_user_policy where user_name = ?", String.class,
                iamUser)).as("AWS as the change left it").contains("198.51.100.0/24");
        assertThat(jdbc.queryForObject("select source_cidrs from application where id = ?", String.class, appId))
                .as("and the record says so").isEqualTo("198.51.100.0/24");
        assertThat(jdbc.queryForObject("select restored_at is not null from application_access_before where "
                + "request_id = ?", Boolean.class, r.id())).as("dealt with: a retry does not try again").isTrue();
    }

    /** A change whose very first call AWS refuses applied nothing: said so, and nothing is written back. */
    @Test
    void aChangeRefusedAtItsFirstCallAppliedNothing() {
        RequestDraft d = change();
        d.setMonthlyBudget(new BigDecimal("95"));
        AccessRequest r = RunAs.user("alice", () -> requests.submit(d), "REQUESTER");
        lastDecisionWhileAwsRefuses("TagUser", "mike", "MANAGER", r.id(), "CHANGE_PUT_BACK");
        assertThat(jdbc.queryForObject("select comment from request_event where request_id = ? and type = "
                + "'CHANGE_PUT_BACK'", String.class, r.id())).startsWith("Nothing of the change had been applied");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'APPLICATION_ACCESS_PUT_BACK' "
                + "and target = ?", Integer.class, "application:" + appId)).isZero();
    }

    /**
     * The request's last decision while AWS refuses {@code operation}: waits until it failed and its put-back wrote
     * {@code event} on the timeline.
     */
    private void lastDecisionWhileAwsRefuses(String operation, String decider, String role, long requestId,
            String event) {
        com.bedrockportal.sandbox.SandboxFaults.fail(account, operation, "ACCESS_DENIED");
        try {
            decide(decider, requestId, role);
            awaitStatus(requestId, RequestStatus.PROVISIONING_FAILED);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                    "select count(*) from request_event where request_id = ? and type = ?", Integer.class,
                    requestId, event) == 1);
        } finally {
            com.bedrockportal.sandbox.SandboxFaults.clear(account);
        }
    }

    /**
     * Two changes of one application submitted at the same moment: each checked that no other request was open
     * before either had committed, so both were stored and the second failed at provisioning. The first now holds
     * its claim on the application until it commits; the second waits for it and is refused next to the application.
     * Their submission keys are drawn so that only the application's claim makes the second wait.
     */
    @Test
    void twoChangesOfOneApplicationSubmittedAtOnceStoreOne() throws Exception {
        RequestDraft first = change();
        first.setMonthlyBudget(new BigDecimal("50"));
        RequestDraft second = change();
        second.setLifetimeDays(7);
        com.bedrockportal.request.ClaimRows.onlyTheApplicationInCommon(appId, first, second);
        Object later = com.bedrockportal.testsupport.WhileHeld.secondWaits(transactionManager, jdbc,
                () -> RunAs.user("alice", () -> requests.submit(first), "REQUESTER"),
                () -> RunAs.user("alice", () -> requests.submit(second), "REQUESTER"), "%submission_lock%for update%");
        assertThat(later).isInstanceOfSatisfying(FieldErrors.class,
                e -> assertThat(e.errors()).containsKey("applicationId"));
        assertThat(jdbc.queryForObject("select count(*) from access_request where application_id = ? and "
                + "status = 'PENDING_MANAGER'", Integer.class, appId)).isEqualTo(1);
    }

    /** A change to the application, starting from its current access (as the form does). */
    private RequestDraft change() {
        RequestDraft d = Fixtures.request(unit.id());
        d.setKind(AccessRequest.Kind.CHANGE);
        d.setApplicationId(appId);
        d.setPurpose("Tighten the campaign application's access after the pilot.");
        return d;
    }

    private void decide(String user, long requestId, String role) {
        RunAs.user(user, () -> approvals.decide(requestId, true, null), role);
    }

    private RequestStatus status(long id) {
        return RequestStatus.valueOf(jdbc.queryForObject("select status from access_request where id = ?",
                String.class, id));
    }

    private void awaitStatus(long id, RequestStatus expected) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> status(id) == expected);
    }

    private String processOf(AccessRequest r) {
        return history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(Long.toString(r.id()))
                .singleResult().getId();
    }
}
