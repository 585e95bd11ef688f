package com.bedrockportal.drift;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.drift.DriftFinding.Action;
import com.bedrockportal.drift.DriftFinding.Kind;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.provisioning.Budgets;
import com.bedrockportal.provisioning.PolicyBuilder;
import com.bedrockportal.provisioning.ServiceCredentials;
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
 * The drift reconciliation against PostgreSQL and the simulated account: an application provisioned as the portal
 * leaves it shows no drift; each kind of drift made in the account is found once (an identical finding is updated,
 * not duplicated), resolved by itself when the drift goes, and security's actions re-read AWS before they act.
 */
class DriftServiceIT extends PostgresSupport {

    static final String POLICY = "bedrock-access-portal";

    @Autowired
    DriftService drift;
    @Autowired
    SimulatedAccount aws;
    @Autowired
    ApiKeys keys;
    @Autowired
    BusinessUnitService units;
    @Autowired
    ModelCatalog catalog;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DriftSchedule schedule;
    @Autowired
    com.bedrockportal.application.ApplicationService applications;
    @Autowired
    org.springframework.transaction.support.TransactionTemplate transactions;
    @Autowired
    Reconciliation reconciliation;

    BusinessUnit unit;
    Application.AwsNames names;
    ApiKey key;

    /** An application as provisioning leaves it: user under the path, its policy, one revealed key, budget, secret. */
    @BeforeEach
    void aProvisionedApplication() {
        unit = Fixtures.unit(units, "dr", Set.of("mike"), Set.of("alice"));
        Fixtures.application(jdbc, unit, "main");
        names = ApplicationNames.of(unit.slug(), "main");
        aws.createUser(names.iamUser(), "/bedrock-portal/", Map.of("business-unit", unit.slug()));
        aws.putUserPolicy(names.iamUser(), POLICY, portalPolicy());
        aws.createBudget(new Budgets.BudgetSpec(names.budgetName(), BigDecimal.valueOf(300), unit.slug(),
                List.of(new Budgets.BudgetAlert("ACTUAL", 80, List.of("alice@example.com")))));
        aws.createSecret(names.secretName(), "not-a-key".toCharArray(), Map.of(), "test");
        key = issueKey();
    }

    private String portalPolicy() {
        return PolicyBuilder.build(new PolicyBuilder.PolicyInput(catalog.find(List.of("amazon.nova-lite-v1:0")),
                List.of("us-east-1"), List.of(), "123456789012"));
    }

    private ApiKey issueKey() {
        ApiKey k = record(aws.createServiceCredential(names.iamUser(), ServiceCredentials.BEDROCK_SERVICE, 30));
        jdbc.update("update api_key set status = 'ACTIVE', revealed_at = now(), revealed_by = 'alice', "
                + "sealed_secret = null, wrapped_key = null where id = ?", k.id());
        return keys.find(k.id()).orElseThrow();
    }

    /** Records a key made in AWS as a request's provisioning step does (a request of its own). */
    private ApiKey record(ServiceCredentials.NewServiceCredential created) {
        long requestId = jdbc.queryForObject("""
                insert into access_request (business_unit_id, requester, purpose, models, regions, source_cidrs,
                    lifetime_days, monthly_budget, alert_threshold, alert_emails, store_secret, owner_email,
                    data_classification, status, submission_key, created_at, updated_at)
                values (?, 'alice', 'drift test', 'amazon.nova-lite-v1:0', 'us-east-1', '', 30, 300, 80,
                    'alice@example.com', false, 'alice@example.com', 'INTERNAL', 'PROVISIONED', ?, now(), now())
                returning id""", Long.class, unit.id(), UUID.randomUUID().toString());
        ApiKey k = keys.store(requestId, "alice", unit.id(), applicationId(), names.iamUser(),
                created.credential().credentialId(), created.credential().createdAt(),
                created.credential().expiresAt(), created.secret(), Duration.ofDays(3), "us-east-1",
                "amazon.nova-lite-v1:0");
        java.util.Arrays.fill(created.secret(), '\0');
        return k;
    }

    private long applicationId() {
        return jdbc.queryForObject("select id from application where iam_user = ?", Long.class, names.iamUser());
    }

    private DriftService.Outcome check() {
        return RunAs.user("sara", () -> drift.checkNow(), "SECURITY");
    }

    /** The open findings of this test's application (the database holds other tests' applications too). */
    private List<DriftFinding> mine() {
        return RunAs.user("sara", () -> drift.openFindings(), "SECURITY").stream()
                .filter(f -> f.iamUser().equals(names.iamUser())).toList();
    }

    private DriftFinding only(Kind kind) {
        check();
        return mine().stream().filter(f -> f.kind() == kind).reduce((a, b) -> {
            throw new AssertionError("two open findings of " + kind);
        }).orElseThrow(() -> new AssertionError("no open finding " + kind + " in " + mine()));
    }

    private DriftFinding act(DriftFinding f, Action action, String reason) {
        return RunAs.user("sara", () -> drift.act(f.id(), action, reason), "SECURITY");
    }

    @Test
    void anApplicationAsProvisionedShowsNoDrift() {
        DriftService.Outcome outcome = check();
        assertThat(mine()).isEmpty();
        assertThat(outcome.usersChecked()).isPositive();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'DRIFT_CHECKED' and "
                + "actor = 'sara'", Integer.class)).isPositive();
    }

    @Test
    void aPolicyRewrittenWithOtherWhitespaceAndKeyOrderIsNoDrift() {
        String reordered = "{\"Statement\":" + portalPolicy().replaceAll("\\s+", "")
                .replaceFirst("^\\{\"Version\":\"2012-10-17\",\"Statement\":", "").replaceFirst("}$", "")
                + ",\"Version\":\"2012-10-17\"}";
        aws.putUserPolicy(names.iamUser(), POLICY, reordered);
        check();
        assertThat(mine()).isEmpty();
    }

    @Test
    void aKeyCreatedOutsideThePortalIsFoundOnceThenResolvedWhenDeleted() {
        String foreign = outsideKey();
        DriftFinding first = only(Kind.KEY_OUTSIDE_PORTAL);
        assertThat(first.resource()).isEqualTo(foreign);
        assertThat(first.observed()).isEqualTo("Active");
        assertThat(first.application()).isEqualTo(unit.slug() + "/main");
        DriftFinding again = only(Kind.KEY_OUTSIDE_PORTAL);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.firstSeenAt()).isEqualTo(first.firstSeenAt());
        assertThat(again.lastSeenAt()).isAfterOrEqualTo(first.lastSeenAt());
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'sara' and title like "
                + "'%new AWS drift findings%'", Integer.class)).isPositive();

        aws.deleteServiceCredential(names.iamUser(), foreign);
        check();
        assertThat(mine()).isEmpty();
        assertThat(jdbc.queryForObject("select resolution from drift_finding where id = ?", String.class, first.id()))
                .isEqualTo("AUTO");
    }

    /**
     * A provisioning step (or a rotation) makes the key in AWS, then records it in its transaction, holding the
     * application's row. A check meanwhile waits for that row instead of finding a key "not created by the portal".
     */
    @Test
    void aKeyMadeButNotYetRecordedByAStepIsNoKeyFromOutsideThePortal() throws Exception {
        ServiceCredentials.NewServiceCredential made = aws.createServiceCredential(names.iamUser(),
                ServiceCredentials.BEDROCK_SERVICE, 30);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<DriftService.Outcome> checked = transactions.execute(tx -> {
                applications.lock(applicationId());
                java.util.concurrent.Future<DriftService.Outcome> running = pool.submit(this::check);
                Fixtures.awaitApplicationLockWaiters(jdbc, 1);
                record(made);
                return running;
            });
            checked.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(mine()).isEmpty();
    }

    /** A check that waited for an application being decommissioned leaves its findings as they are. */
    @Test
    void anApplicationDecommissionedWhileTheCheckWaitsKeepsItsFindings() throws Exception {
        outsideKey();
        DriftFinding open = only(Kind.KEY_OUTSIDE_PORTAL);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            transactions.execute(tx -> {
                applications.lock(applicationId());
                java.util.concurrent.Future<DriftService.Outcome> running = pool.submit(this::check);
                Fixtures.awaitApplicationLockWaiters(jdbc, 1);
                jdbc.update("update application set status = 'DECOMMISSIONING' where id = ?", applicationId());
                return running;
            }).get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(mine()).extracting(DriftFinding::id).containsExactly(open.id());
    }

    @Test
    void securityAdoptsAForeignKeyWhichBecomesAPortalKeyWithoutASecret() {
        String foreign = outsideKey();
        DriftFinding f = only(Kind.KEY_OUTSIDE_PORTAL);
        assertThatThrownBy(() -> act(f, Action.ADOPT, " ")).isInstanceOf(FieldErrors.class);
        assertThatThrownBy(() -> act(f, Action.ADOPT, "x".repeat(501))).isInstanceOf(FieldErrors.class);
        assertThatThrownBy(() -> RunAs.user("adam", () -> drift.act(f.id(), Action.ADOPT, "mine now"), "ADMIN"))
                .isInstanceOf(AccessDeniedException.class);

        DriftFinding done = act(f, Action.ADOPT, "made by the on-call engineer during the outage");
        assertThat(done.resolution()).isEqualTo(DriftFinding.Resolution.ADOPTED);
        assertThat(done.resolvedBy()).isEqualTo("sara");
        Map<String, Object> row = jdbc.queryForMap("select * from api_key where credential_id = ?", foreign);
        assertThat(row.get("status")).isEqualTo("ACTIVE");
        assertThat(row.get("adopted_by")).isEqualTo("sara");
        assertThat(row.get("sealed_secret")).isNull();
        assertThat(row.get("request_id")).isNull();
        check();
        assertThat(mine()).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'DRIFT_ACTION' and target = ?",
                Integer.class, "drift-finding:" + f.id())).isEqualTo(1);
    }

    @Test
    void securityDisablesAForeignKeyInAwsAndTheNextCheckLeavesItSettled() {
        String foreign = outsideKey();
        DriftFinding f = only(Kind.KEY_OUTSIDE_PORTAL);
        act(f, Action.DISABLE, "nobody owns it");
        assertThat(status(foreign)).isEqualTo("Inactive");
        check();
        assertThat(mine()).isEmpty();
        // Active again behind the portal's back: a new finding.
        aws.updateServiceCredentialStatus(names.iamUser(), foreign, true);
        assertThat(only(Kind.KEY_OUTSIDE_PORTAL).id()).isNotEqualTo(f.id());
    }

    @Test
    void aStaleActionChangesNothingAndResolvesTheFinding() {
        String foreign = outsideKey();
        DriftFinding f = only(Kind.KEY_OUTSIDE_PORTAL);
        aws.deleteServiceCredential(names.iamUser(), foreign);
        assertThatThrownBy(() -> act(f, Action.ADOPT, "adopt it")).isInstanceOf(DriftService.Refused.class)
                .hasMessageContaining("no longer shows");
        assertThat(jdbc.queryForObject("select count(*) from api_key where credential_id = ?", Integer.class, foreign))
                .isZero();
        assertThat(mine()).isEmpty();
    }

    @Test
    void aPortalKeyDisabledInAwsIsFoundResolvedWhenReEnabledAndAdoptedOnRequest() {
        aws.updateServiceCredentialStatus(names.iamUser(), key.credentialId(), false);
        DriftFinding f = only(Kind.KEY_DISABLED_IN_AWS);
        assertThat(f.detail()).contains(key.prefix()).doesNotContain("ABSK" + "x");
        aws.updateServiceCredentialStatus(names.iamUser(), key.credentialId(), true);
        check();
        assertThat(mine()).isEmpty();

        aws.updateServiceCredentialStatus(names.iamUser(), key.credentialId(), false);
        act(only(Kind.KEY_DISABLED_IN_AWS), Action.ADOPT, "the team disabled it on purpose");
        assertThat(keys.find(key.id()).orElseThrow().status().name()).isEqualTo("INACTIVE");
        check();
        assertThat(mine()).isEmpty();
    }

    @Test
    void aKeyThePortalDisabledButActiveInAwsIsDisabledAgainBySecurity() {
        jdbc.update("update api_key set status = 'INACTIVE' where id = ?", key.id());
        DriftFinding f = only(Kind.KEY_REENABLED_IN_AWS);
        act(f, Action.DISABLE, "the portal disabled it for a reason");
        assertThat(status(key.credentialId())).isEqualTo("Inactive");
        check();
        assertThat(mine()).isEmpty();
    }

    @Test
    void aPortalKeyDeletedInAwsIsFoundAndRecordedDeletedOnAdopt() {
        aws.deleteServiceCredential(names.iamUser(), key.credentialId());
        DriftFinding f = only(Kind.KEY_DELETED_IN_AWS);
        act(f, Action.ADOPT, "deleted during clean-up");
        assertThat(keys.find(key.id()).orElseThrow().status().name()).isEqualTo("DELETED");
        check();
        assertThat(mine()).isEmpty();
    }

    @Test
    void anEditedPolicyIsFoundAndReappliedAMissingOneTooAndEachResolvesByItself() {
        aws.putUserPolicy(names.iamUser(), POLICY, portalPolicy().replace("bedrock:InvokeModel\"", "bedrock:*\""));
        DriftFinding edited = only(Kind.POLICY_EDITED);
        act(edited, Action.REAPPLY_POLICY, "wildcard added by hand");
        assertThat(PolicyJson.same(aws.findUserPolicy(names.iamUser(), POLICY).orElseThrow(), portalPolicy()))
                .isTrue();
        // The repair is kept as an applied policy (evidence packs list it among the policy's changes).
        var repair = jdbc.queryForMap("select request_id, applied_by, policy_json from applied_policy "
                + "where principal_name = ? order by id desc fetch first 1 rows only", names.iamUser());
        assertThat(repair.get("request_id")).isNull();
        assertThat(repair.get("applied_by")).isEqualTo("sara");
        assertThat(PolicyJson.same((String) repair.get("policy_json"), portalPolicy())).isTrue();
        check();
        assertThat(mine()).isEmpty();

        aws.deleteUserPolicy(names.iamUser(), POLICY);
        only(Kind.POLICY_MISSING);
        aws.putUserPolicy(names.iamUser(), POLICY, portalPolicy());
        check();
        assertThat(mine()).isEmpty();
    }

    @Test
    void aMissingBudgetAndSecretAreFoundAndResolvedWhenBack() {
        aws.deleteBudget(names.budgetName());
        aws.deleteSecret(names.secretName());
        assertThat(only(Kind.BUDGET_MISSING).resource()).isEqualTo(names.budgetName());
        assertThat(only(Kind.SECRET_MISSING).resource()).isEqualTo(names.secretName());
        aws.createBudget(new Budgets.BudgetSpec(names.budgetName(), BigDecimal.valueOf(300), unit.slug(), List.of()));
        aws.createSecret(names.secretName(), "not-a-key".toCharArray(), Map.of(), "test");
        check();
        assertThat(mine()).isEmpty();

        // Deleted with a recovery window: still there by name, but going.
        aws.deleteSecret(names.secretName(), java.time.Duration.ofDays(7));
        assertThat(only(Kind.SECRET_MISSING).observed()).isEqualTo("scheduled for deletion");
        aws.restoreSecret(names.secretName());
        check();
        assertThat(mine()).isEmpty();
    }

    @Test
    void anIamUserUnderThePathThatNoApplicationRecordsIsFoundAndAMissingOneToo() {
        String stranger = "stranger-" + UUID.randomUUID().toString().substring(0, 8);
        aws.createUser(stranger, "/bedrock-portal/", Map.of());
        check();
        assertThat(RunAs.user("sara", () -> drift.openFindings(), "SECURITY")).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Kind.UNKNOWN_IAM_USER);
            assertThat(f.iamUser()).isEqualTo(stranger);
        });
        aws.deleteUser(stranger);
        check();
        assertThat(RunAs.user("sara", () -> drift.openFindings(), "SECURITY"))
                .noneSatisfy(f -> assertThat(f.iamUser()).isEqualTo(stranger));

        BusinessUnit other = Fixtures.unit(units, "drm", Set.of("mike"), Set.of("alice"));
        Fixtures.application(jdbc, other, "gone");
        String missing = ApplicationNames.of(other.slug(), "gone").iamUser();
        check();
        assertThat(RunAs.user("sara", () -> drift.openFindings(), "SECURITY")).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Kind.IAM_USER_MISSING);
            assertThat(f.iamUser()).isEqualTo(missing);
        });
    }

    /**
     * The check reads the active applications a page at a time: with pages of one it still checks every one, and a
     * finding of a user it no longer lists stays open while an application still records that user.
     */
    @Test
    void aCheckReadingOneApplicationAtATimeChecksEveryApplication() {
        BusinessUnit other = Fixtures.unit(units, "drp", Set.of("mike"), Set.of("alice"));
        Fixtures.application(jdbc, other, "one");
        Fixtures.application(jdbc, other, "two");
        String one = ApplicationNames.of(other.slug(), "one").iamUser();
        String two = ApplicationNames.of(other.slug(), "two").iamUser();
        aws.deleteBudget(names.budgetName());
        reconciliation.pageSize(1);
        try {
            check();
            assertThat(mine()).extracting(DriftFinding::kind).containsExactly(Kind.BUDGET_MISSING);
            assertThat(RunAs.user("sara", () -> drift.openFindings(), "SECURITY"))
                    .filteredOn(f -> f.kind() == Kind.IAM_USER_MISSING).extracting(DriftFinding::iamUser)
                    .contains(one, two);

            jdbc.update("update application set status = 'DECOMMISSIONED' where iam_user = ?", one);
            check();
            assertThat(RunAs.user("sara", () -> drift.openFindings(), "SECURITY"))
                    .filteredOn(f -> f.kind() == Kind.IAM_USER_MISSING).extracting(DriftFinding::iamUser)
                    .as("not checked, not listed, still recorded: left as it is").contains(one, two);
        } finally {
            reconciliation.pageSize(Reconciliation.PAGE);
        }
    }

    @Test
    void onlySecurityChecksAndNoFindingCarriesMoreThanAKeysPrefix() {
        assertThatThrownBy(() -> RunAs.user("adam", () -> drift.checkNow(), "ADMIN"))
                .isInstanceOf(AccessDeniedException.class);
        ServiceCredentials.NewServiceCredential c = aws.createServiceCredential(names.iamUser(),
                ServiceCredentials.BEDROCK_SERVICE, 10);
        String secret = new String(c.secret());
        java.util.Arrays.fill(c.secret(), '\0');
        aws.updateServiceCredentialStatus(names.iamUser(), key.credentialId(), false);
        check();
        List<String> texts = jdbc.queryForList("select detail || ' ' || resource || ' ' || coalesce(observed, '') "
                + "from drift_finding", String.class);
        assertThat(texts).isNotEmpty().noneMatch(t -> t.contains(secret.substring(12)))
                // a key's first 12 characters are how the portal names it everywhere; nothing longer
                .noneMatch(t -> java.util.regex.Pattern.compile("ABSK[A-Za-z0-9+/=]{9}").matcher(t).find());
    }

    /** The scheduled run has no user: it reads, compares and records all the same, and says who ran it. */
    @Test
    void theScheduledRunFindsDriftWithoutAUser() {
        aws.deleteBudget(names.budgetName());
        clusterRun(null, null); // no other node ran it lately
        long runs = jdbc.queryForObject("select count(*) from drift_run where triggered_by = 'schedule'", Long.class);
        schedule.run();
        assertThat(jdbc.queryForObject("select count(*) from drift_run where triggered_by = 'schedule'", Long.class))
                .isEqualTo(runs + 1);
        assertThat(mine()).extracting(DriftFinding::kind).containsExactly(Kind.BUDGET_MISSING);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'DRIFT_CHECKED' and actor = "
                + "'schedule'", Integer.class)).isPositive();
    }

    /** The cluster's drift row as another node would leave it: started so long ago, holding it so much longer. */
    private void clusterRun(Duration startedAgo, Duration heldFor) {
        // The database's time, which the lease is judged by.
        jdbc.update("update cluster_run set holder = 'another-node', started_at = now() - ? * interval '1 second', "
                + "lease_until = now() + ? * interval '1 second' where name = 'drift'",
                startedAgo == null ? null : startedAgo.toSeconds(), heldFor == null ? null : heldFor.toSeconds());
    }

    private long scheduledRuns() {
        return jdbc.queryForObject("select count(*) from drift_run where triggered_by = 'schedule'", Long.class);
    }

    /**
     * Two nodes: a check running on the other node is not run again here (the schedule's or a person's), and the
     * schedule's run is skipped where the other node ran it within half an interval; a person's is not.
     */
    @Test
    void oneCheckAtATimeAcrossNodesAndTheScheduleRunsOncePerInterval() {
        try {
            clusterRun(Duration.ofMinutes(1), Duration.ofMinutes(59));
            long before = scheduledRuns();
            assertThatThrownBy(this::check).isInstanceOf(DriftService.Refused.class);
            schedule.run();
            assertThat(scheduledRuns()).isEqualTo(before);

            clusterRun(Duration.ofMinutes(10), null); // the other node finished ten minutes ago
            schedule.run();
            assertThat(scheduledRuns()).isEqualTo(before);
            assertThat(check().usersChecked()).isPositive();

            clusterRun(Duration.ofMinutes(31), null);
            schedule.run();
            assertThat(scheduledRuns()).isEqualTo(before + 1);
            // Released at the end; the run's start is kept for the next node's schedule.
            assertThat(jdbc.queryForObject("select count(*) from cluster_run where name = 'drift' and lease_until is "
                    + "null and started_at > now() - interval '60 seconds'", Integer.class)).isEqualTo(1);
        } finally {
            clusterRun(null, null);
        }
    }

    /** One open finding per fingerprint, whichever node writes it: the database refuses a second. */
    @Test
    void aSecondOpenFindingOfTheSameDriftIsRefused() {
        aws.deleteBudget(names.budgetName());
        check();
        DriftFinding open = mine().get(0);
        String fingerprint = jdbc.queryForObject("select fingerprint from drift_finding where id = ?", String.class,
                open.id());
        assertThatThrownBy(() -> jdbc.update("""
                insert into drift_finding (kind, fingerprint, open_fingerprint, iam_user, resource, detail, first_seen_at,
                    last_seen_at) values ('BUDGET_MISSING', ?, ?, 'u', 'r', 'd', now(), now())""", fingerprint,
                fingerprint)).isInstanceOf(org.springframework.dao.DataIntegrityViolationException.class);
        check();
        assertThat(mine()).hasSize(1);
    }

    /** A key made in the account outside the portal; its secret is dropped at once, as the sandbox page does. */
    private String outsideKey() {
        ServiceCredentials.NewServiceCredential c = aws.createServiceCredential(names.iamUser(),
                ServiceCredentials.BEDROCK_SERVICE, 10);
        java.util.Arrays.fill(c.secret(), '\0');
        return c.credential().credentialId();
    }

    private String status(String credentialId) {
        return jdbc.queryForObject("select status from sandbox_credential where id = ?", String.class, credentialId);
    }
}
