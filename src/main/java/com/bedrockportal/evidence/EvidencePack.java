package com.bedrockportal.evidence;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One application's evidence pack: the model both renderers (PDF and JSON) write. Holds keys by their first
 * characters only. {@code truncated} names each section that was cut at the row cap.
 */
public record EvidencePack(Header header, List<RequestItem> requests, PolicyItem currentPolicy,
        List<PolicyItem> policyChanges, List<KeyItem> keys,
        List<AuditItem> accessReviews, List<AlertItem> alerts, List<CaseItem> compromiseCases,
        List<AuditItem> auditRows, ChainProof chain, List<ControlItem> controls, List<String> truncated) {

    /** Who the pack is about, who made it and when; the access approved last. */
    public record Header(long applicationId, String application, String slug, String unit, long unitId,
            String owner, String ownerEmail, String purpose, String dataClassification, String status,
            String iamUser, Instant createdAt, Instant generatedAt, String generatedBy, List<String> models,
            List<String> regions, List<String> sourceCidrs, int lifetimeDays, BigDecimal monthlyBudget,
            boolean secretsManagerCopy) {
    }

    /** A request that created or changed the application, with its approvals and the policy it asked for. */
    public record RequestItem(long id, String kind, String requester, Instant submittedAt, String status,
            String purpose, List<Approval> approvals, PolicyItem policy) {
    }

    /** One decision: who, in which role, when, with what comment. */
    public record Approval(String stage, String decidedBy, String decidedAs, boolean approved, String comment,
            Instant decidedAt) {
    }

    /**
     * A policy document and the tags on the IAM user (or role). {@code source} says what it is: {@link #APPLIED} a
     * copy of what the portal sent to AWS ({@code requestId} null for a drift repair), {@link #ASKED} what a request
     * asked for, {@link #REBUILT} rebuilt from the approved access because no applied copy was recorded (applications
     * provisioned before the portal kept copies).
     */
    public record PolicyItem(String iamUser, String policyJson, Map<String, String> tags, String source,
            Long requestId, String appliedBy, Instant appliedAt) {

        public static final String APPLIED = "APPLIED";
        public static final String ASKED = "ASKED";
        public static final String REBUILT = "REBUILT";

        /** A policy a request asked for. */
        public static PolicyItem asked(String iamUser, String policyJson, Map<String, String> tags, long requestId) {
            return new PolicyItem(iamUser, policyJson, tags, ASKED, requestId, null, null);
        }
    }

    /** A key by its first characters, and what happened to it. */
    public record KeyItem(long id, String prefix, Instant createdAt, Instant expiresAt, String status,
            Instant revealedAt, String revealedBy, List<AuditItem> events) {
    }

    public record AlertItem(long id, String rule, String severity, String status, String title, Instant firstSeenAt,
            Instant lastSeenAt, String action, String actedBy, Instant actedAt) {
    }

    public record CaseItem(long id, String keyPrefix, String source, String status, String reportedBy,
            Instant reportedAt, Instant disabledAt, String triage, String triageBy, Instant triageAt,
            boolean reportSubmitted, Instant closedAt) {
    }

    /** An audit row as cited (its hash is in the chain proof's range). */
    public record AuditItem(long seq, Instant at, String actor, String action, String target, String details,
            String hash) {
    }

    /**
     * The first and last of the rows cited, with their hashes, and a verification of the whole chain made while the
     * pack was assembled. {@code firstSeq} is -1 when no row is cited.
     */
    public record ChainProof(int rowsCited, long firstSeq, String firstHash, long lastSeq, String lastHash,
            boolean intact, long rowsChecked, long firstBrokenSeq, String problem, Instant verifiedAt) {
    }

    /** One control the organisation names, and whether this application's records show it met. */
    public record ControlItem(String framework, String control, Verdict verdict, String reason) {
    }

    public enum Verdict {
        MET, NOT_MET, NOT_EVIDENCED
    }
}
