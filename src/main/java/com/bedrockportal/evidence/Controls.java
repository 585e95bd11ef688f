package com.bedrockportal.evidence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.bedrockportal.evidence.EvidencePack.AuditItem;
import com.bedrockportal.evidence.EvidencePack.ControlItem;
import com.bedrockportal.evidence.EvidencePack.KeyItem;
import com.bedrockportal.evidence.EvidencePack.Verdict;

/**
 * The controls the organisation's runbook names (its "Compliance Considerations": SOC 2, PCI DSS, GDPR), each judged
 * from the pack's own records only. Where the portal cannot see something (MFA at the IdP, CloudTrail data events,
 * where an owner keeps a revealed key) the verdict is "not evidenced" with the reason, never "met".
 */
final class Controls {

    static final String SOC2 = "SOC 2";
    static final String PCI = "PCI DSS";
    static final String GDPR = "GDPR";
    /** Key statuses that still work (or will once revealed) in AWS. */
    private static final Set<String> WORKING = Set.of("active", "pending reveal");
    static final Set<String> REVIEW_ATTESTED = Set.of(EvidencePacks.REVIEW_KEPT, EvidencePacks.REVIEW_REDUCED,
            EvidencePacks.REVIEW_REVOKED);

    private static final java.time.format.DateTimeFormatter DAY_TIME = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC);

    private Controls() {
    }

    /** How the reasons name a moment (the same as the PDF's tables). */
    static String at(Instant instant) {
        return DAY_TIME.format(instant);
    }

    /** The verdicts for a pack's records as of {@code now}. */
    static List<ControlItem> judge(EvidencePack.Header app, List<KeyItem> keys, List<AuditItem> reviews,
            List<EvidencePack.CaseItem> cases, EvidencePack.ChainProof chain, Instant now, Duration reviewEvery) {
        List<ControlItem> out = new ArrayList<>();
        out.add(new ControlItem(SOC2, "Quarterly access reviews", reviews(reviews, now, reviewEvery).verdict,
                reviews(reviews, now, reviewEvery).reason));
        Judged r30 = rotation(keys, now, 30);
        out.add(new ControlItem(SOC2, "Regular key rotation (30 days)", r30.verdict, r30.reason));
        Judged log = auditLogging(chain);
        out.add(new ControlItem(SOC2, "Audit logging", log.verdict, log.reason));
        Judged ir = incidentResponse(cases);
        out.add(new ControlItem(SOC2, "Incident response", ir.verdict, ir.reason));
        Judged enc = encryptionAtRest(app);
        out.add(new ControlItem(PCI, "API keys encrypted at rest", enc.verdict, enc.reason));
        Judged net = network(app);
        out.add(new ControlItem(PCI, "Network access restricted", net.verdict, net.reason));
        out.add(new ControlItem(PCI, "Multi-factor authentication", Verdict.NOT_EVIDENCED,
                "The portal signs people in through the organisation's identity provider and does not receive "
                        + "whether they used MFA; revealing a key needs a fresh sign-in. The API key itself is a "
                        + "bearer token: calls made with it cannot require MFA."));
        Judged r90 = rotation(keys, now, 90);
        out.add(new ControlItem(PCI, "Key rotation every 90 days", r90.verdict, r90.reason));
        out.add(app.dataClassification() == null || app.dataClassification().isBlank()
                ? new ControlItem(GDPR, "Data classification tagged", Verdict.NOT_MET,
                        "The application has no data classification.")
                : new ControlItem(GDPR, "Data classification tagged", Verdict.MET, "The IAM user " + app.iamUser()
                        + " carries the tag data-classification=" + app.dataClassification() + "."));
        out.add(new ControlItem(GDPR, "Access logging", Verdict.NOT_EVIDENCED, accessLogging(keys)));
        return List.copyOf(out);
    }

    private record Judged(Verdict verdict, String reason) {
    }

    private static Judged reviews(List<AuditItem> reviews, Instant now, Duration every) {
        if (reviews.isEmpty()) {
            return new Judged(Verdict.NOT_EVIDENCED, "No access review recorded.");
        }
        AuditItem last = reviews.stream().max(Comparator.comparingLong(AuditItem::seq)).orElseThrow();
        Optional<AuditItem> lastAttested = reviews.stream().filter(r -> REVIEW_ATTESTED.contains(r.action()))
                .max(Comparator.comparingLong(AuditItem::seq));
        if (EvidencePacks.REVIEW_MISSED.equals(last.action())) {
            return new Judged(Verdict.NOT_MET, "The last access review was missed (" + at(last.at()) + ").");
        }
        if (lastAttested.isPresent() && !lastAttested.get().at().isBefore(now.minus(every))) {
            return new Judged(Verdict.MET, "Last reviewed on " + at(lastAttested.get().at()) + " by "
                    + lastAttested.get().actor() + " (" + lastAttested.get().action() + ").");
        }
        return new Judged(Verdict.NOT_MET, "The last access review (" + at(last.at()) + ") is older than "
                + every.toDays() + " days.");
    }

    /** Every working key younger than {@code days}: met; one older: not met; none: not evidenced. */
    private static Judged rotation(List<KeyItem> keys, Instant now, int days) {
        List<KeyItem> working = keys.stream().filter(k -> WORKING.contains(k.status())).toList();
        if (working.isEmpty()) {
            return new Judged(Verdict.NOT_EVIDENCED, "No working key: nothing to rotate.");
        }
        Instant limit = now.minus(Duration.ofDays(days));
        List<KeyItem> old = working.stream().filter(k -> k.createdAt().isBefore(limit)).toList();
        if (!old.isEmpty()) {
            KeyItem oldest = old.stream().min(Comparator.comparing(KeyItem::createdAt)).orElseThrow();
            return new Judged(Verdict.NOT_MET, "Key " + oldest.prefix() + "… was created on " + at(oldest.createdAt())
                    + ", " + Duration.between(oldest.createdAt(), now).toDays() + " days ago, and has not been "
                    + "rotated.");
        }
        KeyItem newest = working.stream().max(Comparator.comparing(KeyItem::createdAt)).orElseThrow();
        return new Judged(Verdict.MET, working.size() + " working key(s), all younger than " + days
                + " days (newest " + newest.prefix() + "… created on " + at(newest.createdAt()) + ").");
    }

    private static Judged auditLogging(EvidencePack.ChainProof chain) {
        if (!chain.intact()) {
            return new Judged(Verdict.NOT_MET, "The portal's audit chain is " + com.bedrockportal.audit.ChainVerification
                    .verdict(false, chain.firstBrokenSeq()) + ": " + chain.problem());
        }
        return new Judged(Verdict.MET, "Every action on this application is in the portal's hash-chained audit log ("
                + chain.rowsCited() + " rows cited; the whole chain of " + chain.rowsChecked()
                + " rows verified intact on " + at(chain.verifiedAt()) + "). CloudTrail in the AWS account is not checked "
                + "by this pack.");
    }

    private static Judged incidentResponse(List<EvidencePack.CaseItem> cases) {
        if (cases.isEmpty()) {
            return new Judged(Verdict.NOT_EVIDENCED, "No compromise case recorded for this application: the response "
                    + "process (disable, evidence, triage, rotation, owner's report) was not exercised here.");
        }
        List<EvidencePack.CaseItem> unreported = cases.stream()
                .filter(c -> "CONFIRMED".equals(c.triage()) && !c.reportSubmitted()).toList();
        if (!unreported.isEmpty()) {
            return new Judged(Verdict.NOT_MET, "Case #" + unreported.get(0).id()
                    + " was confirmed but its post-incident report is missing.");
        }
        List<EvidencePack.CaseItem> slow = cases.stream().filter(c -> c.disabledAt() == null
                && !"DISABLING".equals(c.status())).toList();
        if (!slow.isEmpty()) {
            return new Judged(Verdict.NOT_MET, "Case #" + slow.get(0).id() + " has no confirmed disable of its key.");
        }
        return new Judged(Verdict.MET, cases.size() + " compromise case(s) recorded, each with its key disabled, "
                + "triaged and (when confirmed) reported.");
    }

    private static Judged encryptionAtRest(EvidencePack.Header app) {
        if (app.secretsManagerCopy()) {
            return new Judged(Verdict.MET, "The portal kept each key only sealed (AES-256-GCM, wrapped data key) "
                    + "until its one reveal, and a copy is kept in AWS Secrets Manager (encrypted with KMS).");
        }
        return new Judged(Verdict.NOT_EVIDENCED, "The portal kept each key only sealed (AES-256-GCM) and deleted it "
                + "at its one reveal; no Secrets Manager copy was requested, so where the owner stores the key is "
                + "not visible to the portal.");
    }

    private static Judged network(EvidencePack.Header app) {
        if (app.sourceCidrs() == null || app.sourceCidrs().isEmpty()) {
            return new Judged(Verdict.NOT_MET, "The policy has no aws:SourceIp condition: the key works from any "
                    + "address.");
        }
        return new Judged(Verdict.MET, "The policy allows calls only from " + String.join(", ", app.sourceCidrs())
                + " (aws:SourceIp). VPC endpoints are not checked by this pack.");
    }

    private static String accessLogging(List<KeyItem> keys) {
        long revealed = keys.stream().filter(k -> k.revealedAt() != null).count();
        return "The portal logs who revealed each key (" + revealed + " of " + keys.size() + " revealed, each with "
                + "who and when) and every action on it. The Bedrock calls made with the keys are logged only by "
                + "CloudTrail in the AWS account, which this pack does not verify.";
    }
}
