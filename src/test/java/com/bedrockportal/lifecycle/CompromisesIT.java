package com.bedrockportal.lifecycle;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.provisioning.ActivityTrail;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.provisioning.SpendReports;
import com.bedrockportal.sandbox.Faults;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Compromise response on PostgreSQL with the simulated account and the job executor: a report disables the key in
 * AWS and waits for triage; confirmed, the rotation is started (mocked until the lead's rotation is merged) and the
 * old key deleted, the owner's report closes the case; a false alarm re-enables. The leaked-key form finds keys by
 * fingerprint and by beginning without saying whose, refuses an ambiguous beginning, and the pasted key reaches no
 * table, no log line. The signed endpoint: 401 and audited without the right signature, labels only with it. One open
 * case per key. AWS down while disabling: the case says so, and the retry disables the key once AWS answers.
 */
@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureMockMvc
@TestPropertySource(properties = { "portal.compromise.scanner-secret=" + CompromisesIT.SECRET,
        "portal.provisioning.retry-cycle=R20/PT1S", "portal.drift.enabled=false" })
// Its mocked Rotations must not outlive it: a cached context's job executor would take other tests' process jobs
// from the shared database and run them against the mock (CompromiseRotationIT's rotation never started in CI).
@org.springframework.test.annotation.DirtiesContext
class CompromisesIT extends PostgresSupport {

    static final String SECRET = "scanner-test-secret";
    /** Business keys are case ids, which another process's (a review campaign's, a request's) may equal. */
    private static final String COMPROMISE = com.bedrockportal.workflow.ProcessVariables.COMPROMISE_PROCESS_KEY;

    @Autowired
    Compromises compromises;
    @Autowired
    ApiKeys keys;
    @Autowired
    KeyActions keyActions;
    @Autowired
    IamUsers users;
    @Autowired
    ServiceCredentials credentials;
    @Autowired
    BusinessUnitService units;
    @Autowired
    SimulatedAccount account;
    @Autowired
    RuntimeService runtime;
    @Autowired
    ManagementService management;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MockMvc mvc;
    @MockitoBean
    Rotations rotations;
    // The evidence ports, stubbed here so the snapshot is known (the sandbox's own are built on another branch).
    @MockitoBean
    ActivityTrail trail;
    @MockitoBean
    SpendReports spendReports;
    // The simulated account's activity bean answers the usage collection's ports too: replaced with the others.
    @MockitoBean
    com.bedrockportal.provisioning.BedrockCalls bedrockCalls;
    @MockitoBean
    com.bedrockportal.provisioning.ApplicationSpend applicationSpend;

    LiveKeys live;
    BusinessUnit unit;

    /** A key and the key itself (the test plays the leak). */
    record Issued(ApiKey key, String secret) {
    }

    @BeforeEach
    void aUnitWithAnApplication() {
        live = new LiveKeys(jdbc, keys, users, credentials);
        unit = Fixtures.unit(units, "cc", Set.of("mike"), Set.of("alice", "bob"));
        given(rotations.open(anyLong())).willReturn(Optional.empty());
        given(rotations.startBySystem(anyLong(), eq(Rotations.Trigger.COMPROMISE), anyString(), anyString()))
                .willReturn(Optional.of(77L));
        java.time.Instant now = java.time.Instant.now();
        given(trail.eventsOfUser(anyString(), any(), any(), anyInt())).willReturn(List.of(
                new ActivityTrail.TrailEvent("e2", now.minusSeconds(60), "CallWithBearerToken", "bedrock.amazonaws.com",
                        "198.51.100.7", "python-requests/2.31", "us-east-1", null, null),
                new ActivityTrail.TrailEvent("e1", now.minusSeconds(3600), "InvokeModel", "bedrock.amazonaws.com",
                        "198.51.100.7", "python-requests/2.31", "eu-west-1", "AccessDenied", null)));
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        List<SpendReports.DailySpend> days = new ArrayList<>();
        for (int i = 59; i >= 0; i--) {
            days.add(new SpendReports.DailySpend(today.minusDays(i), new java.math.BigDecimal(i < 30 ? "2.50" : "1.00")));
        }
        given(spendReports.dailySpend(anyString(), any(), any(), any())).willReturn(days);
    }

    @AfterEach
    void noFaults() {
        Faults.none(account);
    }

    private Issued issue() {
        return issue("main");
    }

    /** A revealed key of alice's for the unit's application {@code slug} (AWS holds two keys per IAM user). */
    private Issued issue(String slug) {
        String user = ApplicationNames.iamUser(unit.slug(), slug);
        if (jdbc.queryForList("select id from application where business_unit_id = ? and slug = ?", Long.class,
                unit.id(), slug).isEmpty()) {
            Fixtures.application(jdbc, unit, slug);
        }
        if (users.findUser(user).isEmpty()) {
            users.createUser(user, "/bedrock-portal/", Map.of());
        }
        long application = jdbc.queryForObject("select id from application where business_unit_id = ? and slug = ?",
                Long.class, unit.id(), slug);
        long requestId = jdbc.queryForObject("""
                insert into access_request (business_unit_id, requester, purpose, models, regions, source_cidrs,
                    lifetime_days, monthly_budget, alert_threshold, alert_emails, store_secret, owner_email,
                    data_classification, status, submission_key, created_at, updated_at)
                values (?, 'alice', 'compromise test', 'amazon.nova-lite-v1:0', 'us-east-1', '', 30, 100, 80,
                    'alice@example.com', false, 'alice@example.com', 'INTERNAL', 'PROVISIONED', ?, now(), now())
                returning id""", Long.class, unit.id(), UUID.randomUUID().toString());
        ServiceCredentials.NewServiceCredential created = credentials.createServiceCredential(user,
                ServiceCredentials.BEDROCK_SERVICE, 30);
        String secret = new String(created.secret());
        ApiKey key = keys.store(requestId, "alice", unit.id(), application, user, created.credential().credentialId(),
                created.credential().createdAt(), created.credential().expiresAt(), created.secret(),
                Duration.ofDays(3), "us-east-1", "amazon.nova-lite-v1:0");
        jdbc.update("update api_key set status = 'ACTIVE', revealed_at = now(), revealed_by = 'alice', "
                + "sealed_secret = null, wrapped_key = null where id = ?", key.id());
        return new Issued(keys.find(key.id()).orElseThrow(), secret);
    }

    private CompromiseCase awaitStatus(long caseId, CompromiseCase.Status status) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> status.name().equals(jdbc.queryForObject(
                "select status from compromise_case where id = ?", String.class, caseId)));
        return compromises.load(caseId);
    }

    private int audited(String action, long caseId) {
        return jdbc.queryForObject("select count(*) from audit_event where action = ? and target = ?",
                Integer.class, action, "compromise:" + caseId);
    }

    @Test
    void aMembersReportDisablesTheKeyAndAConfirmedCompromiseRotatesDeletesReportsAndCloses() {
        Issued issued = issue();
        ApiKey key = issued.key();
        // bob is a member of the unit: he can see the key, so he may report it.
        CompromiseCase c = RunAs.user("bob", () -> compromises.report(key.id(), "  Found it in a public gist.  "),
                "REQUESTER");
        assertThat(c.status()).isEqualTo(CompromiseCase.Status.DISABLING);
        assertThat(c.reason()).isEqualTo("Found it in a public gist.");

        c = awaitStatus(c.id(), CompromiseCase.Status.TRIAGE);
        assertThat(live.inAws(key)).isEqualTo("Inactive");
        assertThat(live.status(key)).isEqualTo("INACTIVE");
        assertThat(c.timeToInactive()).isNotNull().isPositive();
        CompromiseCase triage = c;
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> compromises.load(triage.id()).evidenceAt() != null);
        c = compromises.load(c.id());
        assertThat(c.trailNote()).isNull();
        assertThat(c.spendNote()).isNull();
        assertThat(RunAs.user("sara", () -> compromises.view(triage.id()), "SECURITY")).get().satisfies(v -> {
            assertThat(v.events()).extracting(Compromises.TrailRow::event).containsExactly("CallWithBearerToken",
                    "InvokeModel");
            assertThat(v.events().get(1).errorCode()).isEqualTo("AccessDenied");
            assertThat(v.events().get(0).sourceIp()).isEqualTo("198.51.100.7");
            assertThat(v.last30()).isEqualByComparingTo("75.00");
            assertThat(v.previous30()).isEqualByComparingTo("30.00");
        });
        for (String who : List.of("alice", "mike")) {
            assertThat(jdbc.queryForObject("select count(*) from notification where recipient = ? and link = ?",
                    Integer.class, who, "compromise/" + c.id())).as(who).isEqualTo(1);
        }
        assertThat(audited(Compromises.AUDIT_REPORTED, c.id())).isEqualTo(1);
        assertThat(audited(Compromises.AUDIT_DISABLED, c.id())).isEqualTo(1);

        // Only security triages; the owner sees the case, a member who is not the owner does not.
        long id = c.id();
        assertThatThrownBy(() -> RunAs.user("alice", () -> compromises.triage(id, true, "mine"), "REQUESTER"))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(RunAs.user("alice", () -> compromises.view(id), "REQUESTER")).get()
                .satisfies(v -> assertThat(v.mayTriage()).isFalse());
        assertThat(RunAs.user("bob", () -> compromises.view(id), "REQUESTER")).isEmpty();
        // An export is recorded only for a case the user may see.
        RunAs.user("bob", () -> compromises.exported(id, "csv"), "REQUESTER");
        assertThat(audited(Compromises.AUDIT_EXPORTED, id)).isZero();
        RunAs.user("mike", () -> compromises.exported(id, "json"), "MANAGER");
        assertThat(audited(Compromises.AUDIT_EXPORTED, id)).isEqualTo(1);
        assertThat(RunAs.user("mike", () -> compromises.view(id), "MANAGER")).isPresent();
        assertThatThrownBy(() -> RunAs.user("sara", () -> compromises.triage(id, true, " "), "SECURITY"))
                .isInstanceOfSatisfying(FieldErrors.class,
                        e -> assertThat(e.errors()).containsEntry("triageReason", "Give a reason."));

        RunAs.user("sara", () -> compromises.triage(id, true, "CloudTrail shows calls from an unknown IP."),
                "SECURITY");
        c = awaitStatus(id, CompromiseCase.Status.REPORT_DUE);
        verify(rotations).startBySystem(eq(c.applicationId().longValue()), eq(Rotations.Trigger.COMPROMISE),
                anyString(), eq("sara"));
        assertThat(c.rotationId()).isEqualTo(77L);
        assertThat(live.inAws(key)).isNull();
        assertThat(live.status(key)).isEqualTo("REVOKED");
        assertThat(c.reportDueAt()).isAfter(c.oldKeyDeletedAt().plus(Duration.ofHours(23)));

        assertThatThrownBy(() -> RunAs.user("mike", () -> compromises.submitReport(id, "a", "b", "c"), "MANAGER"))
                .isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors().get("form")).contains("owner"));
        assertThatThrownBy(() -> RunAs.user("alice", () -> compromises.submitReport(id, "", "b", "x".repeat(2001)),
                "REQUESTER")).isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors())
                        .containsEntry("what", "Fill this in.").containsEntry("actions", "At most 2000 characters."));
        RunAs.user("alice", () -> compromises.submitReport(id, "Key committed to a public repository.",
                "No pre-commit secret scanning.", "Tightened IP ranges; added a pre-commit hook."), "REQUESTER");
        c = awaitStatus(id, CompromiseCase.Status.CLOSED);
        assertThat(c.closedAt()).isNotNull();
        assertThat(audited(Compromises.AUDIT_CLOSED, id)).isEqualTo(1);
        // The case row is closed in the process's last step; the instance ends when that step's transaction does.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createProcessInstanceQuery()
                .processDefinitionKey(COMPROMISE).processInstanceBusinessKey(Long.toString(id)).count() == 0);
        // The key can be reported again (the old case is closed), but it is gone: nothing to disable.
        assertThatThrownBy(() -> RunAs.user("sara", () -> compromises.report(key.id(), "again"), "SECURITY"))
                .isInstanceOfSatisfying(Compromises.Refused.class, e -> assertThat(e).hasMessageContaining(
                        "no longer exists").satisfies(r -> assertThat(r.notPermitted()).isFalse()));
    }

    @Test
    void aFalseAlarmReEnablesTheKeyAndClosesTheCase() {
        // CloudTrail does not answer: the case says so, and triage goes on.
        given(trail.eventsOfUser(anyString(), any(), any(), anyInt())).willThrow(new CloudException(
                CloudException.Kind.TRANSIENT, "LookupEvents", "Rate exceeded"));
        ApiKey key = issue().key();
        long id = RunAs.user("alice", () -> compromises.report(key.id(), "Maybe in a screenshot"), "REQUESTER").id();
        awaitStatus(id, CompromiseCase.Status.TRIAGE);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createExecutionQuery()
                .processDefinitionKey(COMPROMISE).processInstanceBusinessKey(Long.toString(id)).activityId("UserTask_SecurityTriage").count() == 1);
        RunAs.user("sara", () -> compromises.triage(id, false, "Screenshot shows the prefix only."), "SECURITY");
        assertThat(compromises.load(id).trailNote()).contains("unavailable").contains("Rate exceeded");
        assertThat(compromises.load(id).spendNote()).isNull();
        CompromiseCase c = awaitStatus(id, CompromiseCase.Status.FALSE_ALARM);
        assertThat(c.reenabledAt()).isNotNull();
        assertThat(live.inAws(key)).isEqualTo("Active");
        assertThat(live.status(key)).isEqualTo("ACTIVE");
        assertThat(audited(Compromises.AUDIT_REENABLED, id)).isEqualTo(1);
    }

    /**
     * A key its manager had disabled is reported: security cannot turn it back on beside the case, and the case's false
     * alarm leaves it as the manager left it (it only undoes what the case itself did).
     */
    @Test
    void aFalseAlarmLeavesAKeyDisabledBeforeTheReportDisabled() {
        ApiKey key = issue().key();
        RunAs.user("mike", () -> keyActions.disable(key.id(), "Team paused"), "MANAGER");
        long id = RunAs.user("alice", () -> compromises.report(key.id(), "Maybe in a screenshot"), "REQUESTER").id();
        awaitStatus(id, CompromiseCase.Status.TRIAGE);
        assertThatThrownBy(() -> RunAs.user("sara", () -> keyActions.reenable(key.id(), "Looks fine"), "SECURITY"))
                .isInstanceOf(KeyActions.Refused.class).hasMessageContaining("case #" + id + " is open");
        assertThat(live.inAws(key)).isEqualTo("Inactive");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createExecutionQuery()
                .processDefinitionKey(COMPROMISE).processInstanceBusinessKey(Long.toString(id)).activityId("UserTask_SecurityTriage").count() == 1);
        RunAs.user("sara", () -> compromises.triage(id, false, "Screenshot shows the prefix only."), "SECURITY");
        awaitStatus(id, CompromiseCase.Status.FALSE_ALARM);
        assertThat(live.inAws(key)).isEqualTo("Inactive");
        assertThat(live.status(key)).isEqualTo("INACTIVE");
        assertThat(keys.find(key.id()).orElseThrow().statusChangedBy()).isEqualTo("mike");
        assertThat(jdbc.queryForObject("select details from audit_event where action = ? and target = ?", String.class,
                Compromises.AUDIT_REENABLED, "compromise:" + id))
                .contains("was Inactive before the report (disabled by mike) and stays Inactive");
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and body like ?",
                Integer.class, "%" + key.prefix() + "%The key does not come back%")).isEqualTo(1);
    }

    /** A reported key deleted while the case waits for triage: a false alarm does not say it works again. */
    @Test
    void aFalseAlarmAboutAKeyDeletedMeanwhileSaysItDoesNotComeBack() {
        ApiKey key = issue().key();
        long id = RunAs.user("alice", () -> compromises.report(key.id(), "Maybe in a screenshot"), "REQUESTER").id();
        awaitStatus(id, CompromiseCase.Status.TRIAGE);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createExecutionQuery()
                .processDefinitionKey(COMPROMISE).processInstanceBusinessKey(Long.toString(id)).activityId("UserTask_SecurityTriage").count() == 1);
        RunAs.user("sara", () -> keyActions.revoke(key.id(), "Gone either way."), "SECURITY");
        assertThat(live.inAws(key)).isNull();
        RunAs.user("sara", () -> compromises.triage(id, false, "Screenshot shows the prefix only."), "SECURITY");
        awaitStatus(id, CompromiseCase.Status.FALSE_ALARM);
        assertThat(live.inAws(key)).isNull();
        assertThat(live.status(key)).isEqualTo("REVOKED");
        assertThat(jdbc.queryForObject("select details from audit_event where action = ? and target = ?", String.class,
                Compromises.AUDIT_REENABLED, "compromise:" + id)).contains("is revoked").doesNotContain("Active again");
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and body like ?",
                Integer.class, "%" + key.prefix() + "%The key does not come back%")).isEqualTo(1);
    }

    /**
     * Security may triage as soon as the key is Inactive, while the process still gathers evidence and has no triage
     * task: the decision is not lost, the process carries it out when it gets there.
     */
    @Test
    void aTriageWhileTheEvidenceIsStillGatheredIsCarriedOut() throws Exception {
        java.util.concurrent.CountDownLatch evidenceAsked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch triaged = new java.util.concurrent.CountDownLatch(1);
        given(trail.eventsOfUser(anyString(), any(), any(), anyInt())).willAnswer(call -> {
            evidenceAsked.countDown();
            assertThat(triaged.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            return List.of();
        });
        ApiKey key = issue().key();
        long id = RunAs.user("alice", () -> compromises.report(key.id(), "In a shared notebook"), "REQUESTER").id();
        awaitStatus(id, CompromiseCase.Status.TRIAGE);
        assertThat(evidenceAsked.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(runtime.createExecutionQuery().processDefinitionKey(COMPROMISE).processInstanceBusinessKey(Long.toString(id))
                .activityId("UserTask_SecurityTriage").count()).isZero();
        try {
            RunAs.user("sara", () -> compromises.triage(id, true, "Notebook is public."), "SECURITY");
        } finally {
            triaged.countDown();
        }
        CompromiseCase c = awaitStatus(id, CompromiseCase.Status.REPORT_DUE);
        assertThat(c.rotationId()).isEqualTo(77L);
        assertThat(c.evidenceAt()).isNotNull();
        assertThat(live.inAws(key)).isNull();
    }

    @Test
    void oneOpenCasePerKey() {
        ApiKey key = issue().key();
        long id = RunAs.user("alice", () -> compromises.report(key.id(), "leaked"), "REQUESTER").id();
        assertThatThrownBy(() -> RunAs.user("mike", () -> compromises.report(key.id(), "also leaked"), "MANAGER"))
                .isInstanceOfSatisfying(Compromises.Refused.class, e -> assertThat(e)
                        .hasMessageContaining("case #" + id + " is open"));
        // The database holds the rule too, whatever path a second row takes.
        assertThatThrownBy(() -> jdbc.update("""
                insert into compromise_case (key_id, open_key_id, business_unit_id, key_prefix, iam_user, source,
                    reported_by, reason, reported_at, status)
                values (?, ?, ?, 'x', 'x', 'USER_REPORT', 'x', 'x', now(), 'DISABLING')""", key.id(), key.id(),
                unit.id())).hasMessageContaining("uq_compromise_case_open");
        assertThat(jdbc.queryForObject("select count(*) from compromise_case where key_id = ?", Integer.class,
                key.id())).isEqualTo(1);
        // Someone who cannot see the key cannot report it (carol manages another unit): refused and audited.
        assertThatThrownBy(() -> RunAs.user("carol", () -> compromises.report(key.id(), "x"), "MANAGER"))
                .isInstanceOfSatisfying(Compromises.Refused.class, e -> assertThat(e.notPermitted()).isTrue());
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'ACCESS_DENIED' and actor = "
                + "'carol' and target = ?", Integer.class, "key:" + key.id())).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theLeakFormFindsAKeyByFingerprintOrBeginningWithoutSayingWhoseAndThePasteGoesNowhere(
            CapturedOutput output) {
        Issued whole = issue("one");
        Issued byPrefix = issue("two");
        String tail = whole.secret().substring(12);

        Compromises.LeakOutcome found = RunAs.user("sara", () -> compromises.reportLeak(
                ("  " + whole.secret() + "\n").toCharArray(), "pastebin.example/abc"), "SECURITY");
        assertThat(found.result()).isEqualTo(Compromises.LeakResult.FOUND);
        assertThat(found.toString()).doesNotContain("alice").doesNotContain(whole.key().iamUser())
                .doesNotContain(whole.key().prefix());
        CompromiseCase c = compromises.load(found.caseId());
        assertThat(c.keyId()).isEqualTo(whole.key().id());
        assertThat(c.source()).isEqualTo(CompromiseCase.Source.LEAK_FORM);
        awaitStatus(c.id(), CompromiseCase.Status.TRIAGE);
        assertThat(live.inAws(whole.key())).isEqualTo("Inactive");

        // The same key again: the open case handles it.
        assertThat(RunAs.user("sara", () -> compromises.reportLeak(whole.secret().toCharArray(), "again"),
                "SECURITY").result()).isEqualTo(Compromises.LeakResult.ALREADY_OPEN);

        // A beginning of 10 characters finds the other key.
        Compromises.LeakOutcome second = RunAs.user("sara", () -> compromises.reportLeak(
                byPrefix.secret().substring(0, 10).toCharArray(), "chat log"), "SECURITY");
        assertThat(second.result()).isEqualTo(Compromises.LeakResult.FOUND);
        assertThat(compromises.load(second.caseId()).keyId()).isEqualTo(byPrefix.key().id());

        // Nothing matches; too short; "ABSK" begins every key: ambiguous, give more characters.
        assertThat(RunAs.user("sara", () -> compromises.reportLeak("ABSKzzzzzzzzzzzzzzzz-not-ours".toCharArray(),
                "x"), "SECURITY").result()).isEqualTo(Compromises.LeakResult.NONE);
        assertThatThrownBy(() -> RunAs.user("sara", () -> compromises.reportLeak("ABSKQm".toCharArray(), "x"),
                "SECURITY")).isInstanceOfSatisfying(FieldErrors.class,
                        e -> assertThat(e.errors().get("key")).contains("at least 8"));
        issue("three");
        issue("four");
        // Two live keys whose recorded beginnings share 9 characters.
        jdbc.update("update api_key set key_prefix = 'ABSKambig' || substr(md5(random()::text), 1, 3) "
                + "where business_unit_id = ? and status = 'ACTIVE'", unit.id());
        assertThatThrownBy(() -> RunAs.user("sara", () -> compromises.reportLeak("ABSKambig".toCharArray(), "x"),
                "SECURITY")).isInstanceOfSatisfying(FieldErrors.class,
                        e -> assertThat(e.errors().get("key")).contains("give more characters"));
        // Only security.
        assertThatThrownBy(() -> RunAs.user("alice", () -> compromises.reportLeak(whole.secret().toCharArray(),
                "x"), "REQUESTER")).isInstanceOf(AccessDeniedException.class);

        // The pasted key is in no column of any table (Camunda's included) and in no log line.
        assertThat(columnsHolding(tail)).isEmpty();
        assertThat(output.getAll()).doesNotContain(tail);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = ? and actor = 'sara'",
                Integer.class, Compromises.AUDIT_LEAK_LOOKUP)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theScannerEndpointNeedsTheSignatureAnswersWithLabelsOnlyAndDisablesTheKey(CapturedOutput output)
            throws Exception {
        Issued issued = issue();
        String body = "[{\"token\":\"" + issued.secret() + "\",\"type\":\"bedrock_api_key\","
                + "\"url\":\"https://github.com/example/repo/blob/main/app.py\",\"source\":\"content\"},"
                + "{\"token\":\"ABSKnot-a-key-of-ours-0123456789\",\"type\":\"bedrock_api_key\"}]";
        int refusedBefore = jdbc.queryForObject("select count(*) from audit_event where action = ?", Integer.class,
                Compromises.AUDIT_SCANNER_REFUSED);

        mvc.perform(post(SecretScanningEndpoint.PATH).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isUnauthorized());
        mvc.perform(post(SecretScanningEndpoint.PATH).contentType(MediaType.APPLICATION_JSON).content(body)
                .header(SecretScanningEndpoint.SIGNATURE_HEADER, "sha256=" + sign("wrong-secret", body)))
                .andExpect(status().isUnauthorized());
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = ?", Integer.class,
                Compromises.AUDIT_SCANNER_REFUSED)).isEqualTo(refusedBefore + 2);
        assertThat(jdbc.queryForObject("select count(*) from compromise_case where key_id = ?", Integer.class,
                issued.key().id())).isZero();

        MvcResult ok = mvc.perform(post(SecretScanningEndpoint.PATH).contentType(MediaType.APPLICATION_JSON)
                .content(body).header(SecretScanningEndpoint.SIGNATURE_HEADER, "sha256=" + sign(SECRET, body)))
                .andExpect(status().isOk()).andReturn();
        String answer = ok.getResponse().getContentAsString();
        assertThat(answer).contains("\"true_positive\"").contains("\"false_positive\"")
                .doesNotContain(issued.secret().substring(4)).doesNotContain("ABSKnot");
        long caseId = jdbc.queryForObject("select id from compromise_case where key_id = ?", Long.class,
                issued.key().id());
        CompromiseCase c = awaitStatus(caseId, CompromiseCase.Status.TRIAGE);
        assertThat(c.source()).isEqualTo(CompromiseCase.Source.SCANNER);
        assertThat(c.reason()).contains("github.com/example/repo");
        assertThat(live.inAws(issued.key())).isEqualTo("Inactive");

        // Too many alerts in one request: refused whole.
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{\"token\":\"ABSKxxxxxxxxxxxx").append(i).append("\"}");
        }
        String tooMany = many.append(']').toString();
        mvc.perform(post(SecretScanningEndpoint.PATH).contentType(MediaType.APPLICATION_JSON).content(tooMany)
                .header(SecretScanningEndpoint.SIGNATURE_HEADER, "sha256=" + sign(SECRET, tooMany)))
                .andExpect(status().isPayloadTooLarge());
        assertThat(columnsHolding(issued.secret().substring(12))).isEmpty();
        assertThat(output.getAll()).doesNotContain(issued.secret().substring(12));
    }

    @Test
    void awsDownWhileDisablingTheCaseSaysDisablingAndTheRetryDisablesTheKeyOnceAwsAnswers() {
        ApiKey key = issue().key();
        Faults.failing(account, "UpdateServiceSpecificCredential", "TRANSIENT");
        long id = RunAs.user("alice", () -> compromises.report(key.id(), "leaked in CI logs"), "REQUESTER").id();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> compromises.load(id).disableAttempts() >= 1);
        CompromiseCase c = compromises.load(id);
        assertThat(c.status()).isEqualTo(CompromiseCase.Status.DISABLING);
        assertThat(c.disabledAt()).isNull();
        // The call and a log reference, not AWS's own words (which can name the portal's role and account).
        assertThat(c.lastError()).contains("UpdateServiceSpecificCredential").contains("log reference")
                .doesNotContain("injected failure");
        assertThat(live.inAws(key)).isEqualTo("Active");
        assertThat(RunAs.user("alice", () -> compromises.view(id), "REQUESTER")).get()
                .satisfies(v -> assertThat(v.c().status()).isEqualTo(CompromiseCase.Status.DISABLING));

        Faults.none(account);
        c = awaitStatus(id, CompromiseCase.Status.TRIAGE);
        assertThat(live.inAws(key)).isEqualTo("Inactive");
        assertThat(c.disabledAt()).isAfter(c.reportedAt());
    }

    private static String sign(String secret, String body) {
        return HexFormat.of().formatHex(com.bedrockportal.shared.Hmac.sha256(secret, body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Every text or byte column of every table (the portal's and Camunda's) that holds {@code text}. */
    private List<String> columnsHolding(String text) {
        List<String> hits = new ArrayList<>();
        for (Map<String, Object> column : jdbc.queryForList("""
                select table_name, column_name, data_type from information_schema.columns
                where table_schema = current_schema()
                  and data_type in ('character varying', 'text', 'character', 'bytea')""")) {
            String table = (String) column.get("table_name");
            String name = (String) column.get("column_name");
            String expression = "bytea".equals(column.get("data_type"))
                    ? "position(convert_to(?, 'UTF8') in \"" + name + "\") > 0"
                    : "position(? in \"" + name + "\") > 0";
            Integer count = jdbc.queryForObject("select count(*) from \"" + table + "\" where " + expression,
                    Integer.class, text);
            if (count != null && count > 0) {
                hits.add(table + "." + name);
            }
        }
        return hits;
    }
}
