package com.bedrockportal.evidence;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.bedrockportal.evidence.EvidencePack.AuditItem;
import com.bedrockportal.evidence.EvidencePack.ChainProof;
import com.bedrockportal.evidence.EvidencePack.ControlItem;
import com.bedrockportal.evidence.EvidencePack.KeyItem;
import com.bedrockportal.evidence.EvidencePack.Verdict;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ControlsTest {

    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    static final ChainProof INTACT = new ChainProof(3, 10, "a".repeat(64), 12, "b".repeat(64), true, 500, -1, null,
            NOW);

    static EvidencePack.Header header(List<String> cidrs, boolean secretCopy) {
        return new EvidencePack.Header(7, "Campaign copy", "campaign-copy", "Marketing", 1, "alice",
                "alice@example.com", "Copy", "CONFIDENTIAL", "ACTIVE", "mkt-campaign-copy-bedrock",
                NOW.minus(Duration.ofDays(200)), NOW, "sara", List.of("anthropic.claude"), List.of("us-east-1"),
                cidrs, 90, new BigDecimal("100"), secretCopy);
    }

    static KeyItem key(String status, long ageDays) {
        return new KeyItem(1, "ABSKQmVkcm9j", NOW.minus(Duration.ofDays(ageDays)), NOW.plus(Duration.ofDays(30)),
                status, null, null, List.of());
    }

    static AuditItem review(String action, long ageDays) {
        return new AuditItem(5, NOW.minus(Duration.ofDays(ageDays)), "mike", action, "application:7", "kept", "h");
    }

    private static Verdict verdict(List<ControlItem> controls, String control) {
        return controls.stream().filter(c -> c.control().equals(control)).findFirst().orElseThrow().verdict();
    }

    private static String reason(List<ControlItem> controls, String control) {
        return controls.stream().filter(c -> c.control().equals(control)).findFirst().orElseThrow().reason();
    }

    @Test
    void aKeyOlderThanNinetyDaysWithoutRotationFailsBothRotationControls() {
        List<ControlItem> c = Controls.judge(header(List.of(), false), List.of(key("active", 120)), List.of(),
                List.of(), INTACT, NOW, Duration.ofDays(92));
        assertThat(verdict(c, "Key rotation every 90 days")).isEqualTo(Verdict.NOT_MET);
        assertThat(reason(c, "Key rotation every 90 days")).contains("ABSKQmVkcm9j…").contains("120 days ago");
        assertThat(verdict(c, "Regular key rotation (30 days)")).isEqualTo(Verdict.NOT_MET);
    }

    @Test
    void aFreshKeyMeetsRotationAndARevokedOneIsNotCounted() {
        List<ControlItem> c = Controls.judge(header(List.of(), false),
                List.of(key("active", 10), key("revoked", 400)), List.of(), List.of(), INTACT, NOW,
                Duration.ofDays(92));
        assertThat(verdict(c, "Key rotation every 90 days")).isEqualTo(Verdict.MET);
        assertThat(verdict(c, "Regular key rotation (30 days)")).isEqualTo(Verdict.MET);
    }

    @Test
    void noIpConditionMeansNetworkRestrictionNotMet() {
        List<ControlItem> open = Controls.judge(header(List.of(), false), List.of(), List.of(), List.of(), INTACT,
                NOW, Duration.ofDays(92));
        assertThat(verdict(open, "Network access restricted")).isEqualTo(Verdict.NOT_MET);
        assertThat(reason(open, "Network access restricted")).contains("aws:SourceIp");
        List<ControlItem> closed = Controls.judge(header(List.of("203.0.113.0/24"), false), List.of(), List.of(),
                List.of(), INTACT, NOW, Duration.ofDays(92));
        assertThat(verdict(closed, "Network access restricted")).isEqualTo(Verdict.MET);
        assertThat(reason(closed, "Network access restricted")).contains("203.0.113.0/24");
    }

    @Test
    void accessReviewsAreMetOnlyWhenAttestedWithinTheQuarter() {
        Duration quarter = Duration.ofDays(92);
        assertThat(reason(Controls.judge(header(List.of(), false), List.of(), List.of(), List.of(), INTACT, NOW,
                quarter), "Quarterly access reviews")).isEqualTo("No access review recorded.");
        assertThat(verdict(Controls.judge(header(List.of(), false), List.of(), List.of(review(
                EvidencePacks.REVIEW_KEPT, 20)), List.of(), INTACT, NOW, quarter), "Quarterly access reviews"))
                .isEqualTo(Verdict.MET);
        assertThat(verdict(Controls.judge(header(List.of(), false), List.of(), List.of(review(
                EvidencePacks.REVIEW_KEPT, 200)), List.of(), INTACT, NOW, quarter), "Quarterly access reviews"))
                .isEqualTo(Verdict.NOT_MET);
        assertThat(verdict(Controls.judge(header(List.of(), false), List.of(), List.of(review(
                EvidencePacks.REVIEW_MISSED, 5)), List.of(), INTACT, NOW, quarter), "Quarterly access reviews"))
                .isEqualTo(Verdict.NOT_MET);
    }

    @Test
    void mfaIsNeverClaimedAndABrokenChainFailsAuditLogging() {
        ChainProof broken = new ChainProof(3, 10, "a", 12, "b", false, 40, 41, "its content was altered", NOW);
        List<ControlItem> c = Controls.judge(header(List.of(), true), List.of(), List.of(), List.of(), broken, NOW,
                Duration.ofDays(92));
        assertThat(verdict(c, "Multi-factor authentication")).isEqualTo(Verdict.NOT_EVIDENCED);
        assertThat(verdict(c, "Audit logging")).isEqualTo(Verdict.NOT_MET);
        assertThat(reason(c, "Audit logging")).contains("row 41");
        assertThat(verdict(c, "API keys encrypted at rest")).isEqualTo(Verdict.MET);
        assertThat(verdict(c, "Data classification tagged")).isEqualTo(Verdict.MET);
        assertThat(verdict(c, "Incident response")).isEqualTo(Verdict.NOT_EVIDENCED);
    }

    @Test
    void aConfirmedCaseWithoutItsReportFailsIncidentResponse() {
        EvidencePack.CaseItem open = new EvidencePack.CaseItem(3, "ABSKQmVkcm9j", "USER_REPORT", "REPORT_DUE",
                "alice", NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(3)), "CONFIRMED", "sara", NOW,
                false, null);
        List<ControlItem> c = Controls.judge(header(List.of(), false), List.of(), List.of(), List.of(open), INTACT,
                NOW, Duration.ofDays(92));
        assertThat(verdict(c, "Incident response")).isEqualTo(Verdict.NOT_MET);
        assertThat(reason(c, "Incident response")).contains("#3");
    }
}
