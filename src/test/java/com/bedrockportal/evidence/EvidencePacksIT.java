package com.bedrockportal.evidence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.evidence.EvidencePack.ControlItem;
import com.bedrockportal.evidence.EvidencePack.Verdict;
import com.bedrockportal.identity.Reauthentication;
import com.bedrockportal.key.KeyReveal;
import com.bedrockportal.provisioning.UserPolicies;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestDraft;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real journey on PostgreSQL — alice's request, mike's and sara's approvals with comments, provisioning, alice's
 * reveal, mike's access review — then the pack as security, the unit's manager, a requester and a stranger see it:
 * approvals, policy, key lifecycle by prefix only, controls, chain proof; the key itself in neither file.
 */
class EvidencePacksIT extends PostgresSupport {

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    KeyReveal reveal;
    @Autowired
    RuntimeService runtime;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AuditLog audit;
    @Autowired
    EvidencePacks packs;
    @Autowired
    UserPolicies userPolicies;

    private static BusinessUnit unit;
    private static long applicationId;
    private static String secret;

    @BeforeEach
    void provisionOnce() {
        if (unit != null) {
            return;
        }
        unit = Fixtures.unit(units, "ev", Set.of("mike"), Set.of("alice"));
        RequestDraft draft = Fixtures.request(unit.id());
        AccessRequest r = RunAs.user("alice", () -> requests.submit(draft), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(r.id(), true, "Budget fits the unit's plan."), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(r.id(), true, "Policy is least privilege."), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> runtime.createExecutionQuery()
                .processInstanceBusinessKey(Long.toString(r.id())).activityId("ReceiveTask_KeyRevealed").count() == 1);
        MockHttpServletRequest http = new MockHttpServletRequest();
        http.getSession(true).setAttribute(Reauthentication.SESSION_ATTRIBUTE, Instant.now());
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(http));
        try {
            KeyReveal.Result result = RunAs.user("alice", () -> reveal.reveal(r.id()), "REQUESTER");
            secret = new String(((KeyReveal.Revealed) result).key());
        } finally {
            RequestContextHolder.resetRequestAttributes();
        }
        applicationId = jdbc.queryForObject("select application_id from access_request where id = ?", Long.class,
                r.id());
        audit.record("mike", EvidencePacks.REVIEW_KEPT, "application:" + applicationId, "kept: still needed");
    }

    private static ControlItem control(EvidencePack pack, String name) {
        return pack.controls().stream().filter(c -> c.control().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void securitysPackHoldsTheApprovalsThePolicyTheKeyByPrefixAndAnIntactChainProof() {
        EvidencePack pack = RunAs.user("sara", () -> packs.forApplication(applicationId), "SECURITY");

        assertThat(pack.requests()).hasSize(1);
        EvidencePack.RequestItem request = pack.requests().get(0);
        assertThat(request.requester()).isEqualTo("alice");
        assertThat(request.approvals()).extracting(EvidencePack.Approval::decidedBy).containsExactly("mike", "sara");
        assertThat(request.approvals()).extracting(EvidencePack.Approval::comment)
                .containsExactly("Budget fits the unit's plan.", "Policy is least privilege.");
        assertThat(request.policy().policyJson()).contains("bedrock:CallWithBearerToken").contains("amazon.nova-lite");
        assertThat(pack.currentPolicy().policyJson()).contains("bedrock:CallWithBearerToken")
                .contains("foundation-model/amazon.nova-lite-v1:0");
        assertThat(pack.currentPolicy().tags()).containsEntry("data-classification", "internal")
                .containsEntry("application", pack.header().slug());
        // Now and at each change: the copy of what was sent to AWS, the very policy the IAM user holds there.
        assertThat(pack.currentPolicy().source()).isEqualTo(EvidencePack.PolicyItem.APPLIED);
        assertThat(pack.currentPolicy().requestId()).isEqualTo(request.id());
        assertThat(pack.policyChanges()).containsExactly(pack.currentPolicy());
        assertThat(json(pack.currentPolicy().policyJson())).isEqualTo(json(userPolicies
                .findUserPolicy(pack.header().iamUser(), "bedrock-access-portal").orElseThrow()));

        assertThat(pack.keys()).hasSize(1);
        EvidencePack.KeyItem key = pack.keys().get(0);
        assertThat(key.prefix()).isEqualTo(secret.substring(0, 12)).hasSize(12);
        assertThat(key.revealedBy()).isEqualTo("alice");
        assertThat(key.status()).isEqualTo("active");

        assertThat(pack.accessReviews()).extracting(EvidencePack.AuditItem::action)
                .containsExactly(EvidencePacks.REVIEW_KEPT);
        assertThat(control(pack, "Quarterly access reviews").verdict()).isEqualTo(Verdict.MET);
        assertThat(control(pack, "Network access restricted").verdict()).isEqualTo(Verdict.NOT_MET);
        assertThat(control(pack, "Key rotation every 90 days").verdict()).isEqualTo(Verdict.MET);
        assertThat(control(pack, "Multi-factor authentication").verdict()).isEqualTo(Verdict.NOT_EVIDENCED);
        assertThat(control(pack, "Audit logging").verdict()).isEqualTo(Verdict.MET);

        assertThat(pack.auditRows()).extracting(EvidencePack.AuditItem::action).contains("APPLICATION_CREATED",
                "KEY_REVEALED", EvidencePacks.REVIEW_KEPT);
        EvidencePack.ChainProof chain = pack.chain();
        assertThat(chain.intact()).isTrue();
        assertThat(chain.rowsCited()).isEqualTo(pack.auditRows().size());
        assertThat(chain.firstSeq()).isLessThan(chain.lastSeq());
        assertThat(chain.firstHash()).isEqualTo(jdbc.queryForObject("select hash from audit_event where seq = ?",
                String.class, chain.firstSeq()));
        assertThat(chain.lastHash()).isEqualTo(jdbc.queryForObject("select hash from audit_event where seq = ?",
                String.class, chain.lastSeq()));
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * An application whose audit rows run past the pack's cap (a 12-hour key application issues several keys a day):
     * the pack cites its newest rows, and its access reviews, read on their own, are all there.
     */
    @Test
    void aLongHistoryKeepsItsReviewsAndItsNewestRows() {
        BusinessUnit busy = Fixtures.unit(units, "evbusy", Set.of("mike"), Set.of("alice"));
        long app = Fixtures.application(jdbc, busy, "busy");
        String target = "application:" + app;
        audit.record("mike", EvidencePacks.REVIEW_KEPT, target, "kept: first review");
        for (int i = 1; i <= 205; i++) {
            audit.record("alice", "SHORT_TERM_KEY_ISSUED", target, "12-hour key " + i);
        }
        audit.record("mike", EvidencePacks.REVIEW_KEPT, target, "kept: this quarter");
        EvidencePack pack = RunAs.user("sara", () -> packs.forApplication(app), "SECURITY");
        assertThat(pack.accessReviews()).extracting(EvidencePack.AuditItem::details)
                .containsExactly("kept: first review", "kept: this quarter");
        assertThat(control(pack, "Quarterly access reviews").verdict()).isEqualTo(Verdict.MET);
        assertThat(pack.auditRows()).extracting(EvidencePack.AuditItem::details).contains("12-hour key 205")
                .doesNotContain("12-hour key 1");
        assertThat(pack.truncated()).isNotEmpty();
    }

    @Test
    void anApplicationWithoutAnAppliedCopySaysItsPolicyIsRebuilt() {
        // As an application provisioned before the portal kept copies: its rows moved aside for this test.
        jdbc.update("update applied_policy set application_id = ? where application_id = ?", -applicationId,
                applicationId);
        try {
            EvidencePack pack = RunAs.user("sara", () -> packs.forApplication(applicationId), "SECURITY");
            assertThat(pack.policyChanges()).isEmpty();
            assertThat(pack.currentPolicy().source()).isEqualTo(EvidencePack.PolicyItem.REBUILT);
            assertThat(pack.currentPolicy().policyJson()).contains("foundation-model/amazon.nova-lite-v1:0");
            ByteArrayOutputStream pdf = new ByteArrayOutputStream();
            EvidencePdf.application(pack, pdf);
            assertThat(EvidenceRenderTest.pdfText(pdf.toByteArray())).contains("No applied copy is recorded");
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            jdbc.update("update applied_policy set application_id = ? where application_id = ?", applicationId,
                    -applicationId);
        }
    }

    @Test
    void neitherFileHoldsTheKeyAndEachDownloadIsAudited() throws Exception {
        int before = downloads();
        byte[] pdf = download(EvidencePacks.Format.PDF);
        byte[] json = download(EvidencePacks.Format.JSON);
        String tail = secret.substring(12);
        String text = EvidenceRenderTest.pdfText(pdf);
        assertThat(text).contains(secret.substring(0, 12)).contains("bedrock:CallWithBearerToken")
                .contains("mike (MANAGER)").contains("sara (SECURITY)").doesNotContain(tail);
        assertThat(new String(pdf, StandardCharsets.ISO_8859_1)).doesNotContain(tail);
        String jsonText = new String(json, StandardCharsets.UTF_8);
        assertThat(jsonText).contains("\"prefix\" : \"" + secret.substring(0, 12) + "\"").doesNotContain(tail);
        assertThat(downloads()).isEqualTo(before + 2);
    }

    private byte[] download(EvidencePacks.Format format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunAs.user("sara", () -> {
            try {
                packs.downloadApplication(applicationId, format, out);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "SECURITY");
        return out.toByteArray();
    }

    private int downloads() {
        return jdbc.queryForObject("select count(*) from audit_event where action = ? and target = ?", Integer.class,
                EvidencePacks.AUDIT_DOWNLOADED, "application:" + applicationId);
    }

    @Test
    void theUnitsManagerMayHaveItButARequesterAndAnotherUnitsManagerMayNot() {
        assertThat(RunAs.user("mike", () -> packs.forApplication(applicationId), "MANAGER").requests()).hasSize(1);
        assertThatThrownBy(() -> RunAs.user("alice", () -> packs.forApplication(applicationId), "REQUESTER"))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> RunAs.user("maria", () -> packs.forApplication(applicationId), "MANAGER"))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where actor = 'maria' and target = ?",
                Integer.class, "application:" + applicationId)).isPositive();
        assertThatThrownBy(() -> RunAs.user("mike", () -> packs.forUnits(null, LocalDate.now(ZoneOffset.UTC)
                .minusDays(7), LocalDate.now(ZoneOffset.UTC)), "MANAGER")).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void aUnitPackListsItsApplicationsWithinThePeriodAndRefusesABadPeriod() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        UnitPack pack = RunAs.user("mike", () -> packs.forUnits(unit.id(), today.minusDays(30), today), "MANAGER");
        assertThat(pack.applications()).hasSize(1);
        UnitPack.ApplicationSummary app = pack.applications().get(0);
        assertThat(app.applicationId()).isEqualTo(applicationId);
        assertThat(app.requests()).isEqualTo(1);
        assertThat(app.approvals()).isEqualTo(2);
        assertThat(app.keysCreated()).isEqualTo(1);
        assertThat(app.accessReviews()).isEqualTo(1);
        assertThat(pack.chain().intact()).isTrue();
        assertThat(pack.chain().firstHash()).hasSize(64);

        UnitPack before = RunAs.user("sara", () -> packs.forUnits(unit.id(), today.minusDays(60),
                today.minusDays(40)), "SECURITY");
        assertThat(before.applications()).isEmpty();

        assertThatThrownBy(() -> RunAs.user("sara", () -> packs.forUnits(unit.id(), today, today.minusDays(1)),
                "SECURITY")).isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors())
                        .containsEntry("to", "The last day must not be before the first day."));
        assertThatThrownBy(() -> RunAs.user("sara", () -> packs.forUnits(null, today.minusDays(400), today),
                "SECURITY")).isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors().get("to"))
                        .contains("400 days"));
        UnitPack every = RunAs.user("sara", () -> packs.forUnits(null, today.minusDays(7), today), "SECURITY");
        List<UnitPack.ApplicationSummary> all = every.applications();
        if (all.size() < 200) { // the default portal.evidence-packs.max-applications
            assertThat(all).extracting(UnitPack.ApplicationSummary::applicationId).contains(applicationId);
        } else {
            // Other tests' applications in the shared database fill the pack: it says it was cut, and how.
            assertThat(every.truncated()).anySatisfy(t -> assertThat(t).contains("200"));
        }
    }

    @Autowired
    com.bedrockportal.application.ApplicationService applications;

    /** A pack's applications are read up to its cap, by unit and slug, only those created before its period ended. */
    @Test
    void aPackReadsItsApplicationsUpToItsCapAndCountsTheRest() {
        BusinessUnit many = Fixtures.unit(units, "evm", Set.of("mike"), Set.of("alice"));
        for (String slug : List.of("c-app", "a-app", "b-app", "later")) {
            Fixtures.application(jdbc, many, slug);
        }
        jdbc.update("update application set created_at = now() + interval '2 days' where business_unit_id = ? "
                + "and slug = 'later'", many.id());
        Instant end = Instant.now().plus(Duration.ofDays(1));
        var page = applications.ofUnitsCreatedBefore(List.of(many.id()), end, 2);
        assertThat(page.first()).extracting(com.bedrockportal.application.Application::slug)
                .containsExactly("a-app", "b-app");
        assertThat(page.total()).as("created after the period: not counted").isEqualTo(3);
        assertThat(applications.ofUnitsCreatedBefore(List.of(many.id()), end, 5).total()).isEqualTo(3);
    }
}
