package com.bedrockportal.evidence;

import java.awt.Color;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import com.bedrockportal.evidence.EvidencePack.AuditItem;
import com.bedrockportal.evidence.EvidencePack.ControlItem;
import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.HeaderFooter;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;

/**
 * The PDF of a pack (OpenPDF): A4, the controls first (what an auditor reads first), then each section with its
 * source records, the audit rows cited with their hashes, and the chain proof. Times in UTC. Text only in the
 * standard fonts (no font files to ship).
 */
final class EvidencePdf {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final Font TITLE = new Font(Font.HELVETICA, 18, Font.BOLD);
    private static final Font H2 = new Font(Font.HELVETICA, 13, Font.BOLD, new Color(0x1f, 0x3a, 0x5f));
    private static final Font H3 = new Font(Font.HELVETICA, 10, Font.BOLD);
    private static final Font TEXT = new Font(Font.HELVETICA, 9);
    private static final Font SMALL = new Font(Font.HELVETICA, 7.5f);
    private static final Font MUTED = new Font(Font.HELVETICA, 8, Font.ITALIC, Color.DARK_GRAY);
    private static final Font HEAD = new Font(Font.HELVETICA, 8, Font.BOLD, Color.WHITE);
    private static final Font MONO = new Font(Font.COURIER, 7.5f);
    private static final Color HEAD_BG = new Color(0x1f, 0x3a, 0x5f);
    private static final Color MET = new Color(0xd7, 0xf0, 0xdc);
    private static final Color NOT_MET = new Color(0xf8, 0xd7, 0xda);
    private static final Color NOT_EVIDENCED = new Color(0xfd, 0xf1, 0xc7);

    private EvidencePdf() {
    }

    static void application(EvidencePack p, OutputStream out) {
        Document doc = open(out, "Evidence pack: " + p.header().application());
        try {
            EvidencePack.Header h = p.header();
            doc.add(new Paragraph("Evidence pack: " + h.application(), TITLE));
            doc.add(new Paragraph("Application #" + h.applicationId() + " of " + h.unit() + " · generated "
                    + time(h.generatedAt()) + " by " + h.generatedBy(), MUTED));
            truncation(doc, p.truncated());

            section(doc, "Application");
            PdfPTable about = table(new float[] { 1.2f, 4 });
            pair(about, "Owner", h.owner() + " <" + h.ownerEmail() + ">");
            pair(about, "Purpose", h.purpose());
            pair(about, "Status", h.status());
            pair(about, "Data classification", h.dataClassification());
            pair(about, "IAM user", h.iamUser());
            pair(about, "Created", time(h.createdAt()));
            pair(about, "Models", String.join(", ", h.models()));
            pair(about, "Regions", String.join(", ", h.regions()));
            pair(about, "IP ranges", h.sourceCidrs().isEmpty() ? "none (any address)"
                    : String.join(", ", h.sourceCidrs()));
            pair(about, "Key lifetime", h.lifetimeDays() + " days");
            pair(about, "Monthly budget", "$" + h.monthlyBudget().toPlainString());
            pair(about, "Secrets Manager copy", h.secretsManagerCopy() ? "yes" : "no");
            doc.add(about);

            section(doc, "Controls");
            controls(doc, p.controls());

            section(doc, "Requests and approvals");
            if (p.requests().isEmpty()) {
                doc.add(new Paragraph("No request recorded (an application migrated from a unit's key).", MUTED));
            }
            for (EvidencePack.RequestItem r : p.requests()) {
                doc.add(new Paragraph("Request #" + r.id() + " (" + r.kind() + ") by " + r.requester()
                        + ", submitted " + time(r.submittedAt()) + " · " + r.status(), H3));
                doc.add(new Paragraph("Purpose: " + nz(r.purpose()), TEXT));
                PdfPTable decisions = table(new float[] { 1, 1.4f, 1, 1.5f, 3 }, "Stage", "Decided by", "Decision",
                        "When", "Comment");
                for (EvidencePack.Approval a : r.approvals()) {
                    cells(decisions, a.stage(), a.decidedBy() + (a.decidedAs() == null ? "" : " (" + a.decidedAs()
                            + ")"), a.approved() ? "approved" : "rejected", time(a.decidedAt()), nz(a.comment()));
                }
                if (r.approvals().isEmpty()) {
                    empty(decisions, 5, "No decision recorded.");
                }
                doc.add(decisions);
                if (r.policy() != null) {
                    doc.add(new Paragraph("Policy this request asked for (rebuilt from the request with the "
                            + "portal's policy builder):", MUTED));
                    policy(doc, r.policy());
                }
            }

            section(doc, "Policy at each change");
            if (p.policyChanges().isEmpty()) {
                doc.add(new Paragraph("No applied policy recorded: the application was provisioned before the "
                        + "portal kept a copy of each policy it applied.", MUTED));
            }
            for (EvidencePack.PolicyItem change : p.policyChanges()) {
                doc.add(new Paragraph(applied(change), H3));
                policy(doc, change);
            }

            section(doc, "Policy and tags now");
            EvidencePack.PolicyItem now = p.currentPolicy();
            doc.add(new Paragraph(EvidencePack.PolicyItem.APPLIED.equals(now.source())
                    ? "The inline policy and tags on " + now.iamUser() + " as the portal applied them last ("
                            + time(now.appliedAt()) + "); drift checks compare AWS against the approved access."
                    : "No applied copy is recorded: the policy and tags below are rebuilt with the portal's policy "
                            + "builder from the access approved last, not a copy of what AWS received.", MUTED));
            policy(doc, now);

            section(doc, "Key lifecycle");
            PdfPTable keys = table(new float[] { 1.4f, 1.5f, 1.5f, 1, 2.2f }, "Key (first characters)", "Created",
                    "Expires", "Status", "Revealed");
            for (EvidencePack.KeyItem k : p.keys()) {
                cells(keys, k.prefix() + "…", time(k.createdAt()), time(k.expiresAt()), k.status(),
                        k.revealedAt() == null ? "not revealed" : "by " + k.revealedBy() + ", " + time(k.revealedAt()));
            }
            if (p.keys().isEmpty()) {
                empty(keys, 5, "No key recorded.");
            }
            doc.add(keys);
            for (EvidencePack.KeyItem k : p.keys()) {
                if (!k.events().isEmpty()) {
                    doc.add(new Paragraph("Events of key " + k.prefix() + "…", H3));
                    auditTable(doc, k.events(), false);
                }
            }

            section(doc, "Access reviews");
            if (p.accessReviews().isEmpty()) {
                doc.add(new Paragraph("No access review recorded.", TEXT));
            } else {
                auditTable(doc, p.accessReviews(), false);
            }

            section(doc, "Alerts");
            PdfPTable alerts = table(new float[] { 0.5f, 1.3f, 0.8f, 0.8f, 3, 1.5f }, "#", "Rule", "Severity",
                    "Status", "Title", "Last seen");
            for (EvidencePack.AlertItem a : p.alerts()) {
                cells(alerts, Long.toString(a.id()), a.rule(), a.severity(), a.status()
                        + (a.action() == null ? "" : " (" + a.action() + " by " + a.actedBy() + ")"), a.title(),
                        time(a.lastSeenAt()));
            }
            if (p.alerts().isEmpty()) {
                empty(alerts, 6, "No alert recorded.");
            }
            doc.add(alerts);

            section(doc, "Compromise cases");
            PdfPTable cases = table(new float[] { 0.5f, 1.2f, 1, 1.5f, 1.5f, 1.5f, 1 }, "#", "Key", "Status",
                    "Reported", "Disabled", "Triage", "Report");
            for (EvidencePack.CaseItem c : p.compromiseCases()) {
                cells(cases, Long.toString(c.id()), c.keyPrefix() + "…", c.status(), "by " + c.reportedBy() + ", "
                        + time(c.reportedAt()), time(c.disabledAt()), c.triage() == null ? "—" : c.triage() + " by "
                        + c.triageBy(), c.reportSubmitted() ? "submitted" : "—");
            }
            if (p.compromiseCases().isEmpty()) {
                empty(cases, 7, "No compromise case recorded.");
            }
            doc.add(cases);

            section(doc, "Audit-chain proof");
            chain(doc, p.chain());

            section(doc, "Audit rows cited");
            if (p.auditRows().isEmpty()) {
                doc.add(new Paragraph("No audit row names this application.", TEXT));
            } else {
                auditTable(doc, p.auditRows(), true);
            }
        } finally {
            doc.close();
        }
    }

    static void units(UnitPack p, OutputStream out) {
        Document doc = open(out, "Evidence pack: " + p.scope());
        try {
            doc.add(new Paragraph("Evidence pack: " + p.scope(), TITLE));
            doc.add(new Paragraph("Period " + p.from() + " to " + p.to() + " (inclusive, UTC) · generated "
                    + time(p.generatedAt()) + " by " + p.generatedBy() + " · " + p.applications().size()
                    + " application(s)", MUTED));
            truncation(doc, p.truncated());
            section(doc, "Applications");
            PdfPTable t = table(new float[] { 2, 1, 0.9f, 0.9f, 0.9f, 1.4f, 0.9f, 1.9f, 0.8f, 0.8f },
                    "Application", "Owner", "Req.", "Decided", "Keys new", "Working keys (oldest)", "Key events",
                    "Access review", "Alerts", "Cases");
            for (UnitPack.ApplicationSummary a : p.applications()) {
                cells(t, a.application() + " (" + a.unit() + ", " + a.status() + ")", a.owner(),
                        Integer.toString(a.requests()), Integer.toString(a.approvals()),
                        Integer.toString(a.keysCreated()), a.workingKeys() + (a.oldestWorkingKey() == null ? ""
                                : " (" + time(a.oldestWorkingKey()) + ")"), Integer.toString(a.keyEvents()),
                        a.accessReviews() + " in period; last: " + a.lastAccessReview(),
                        Integer.toString(a.alerts()), Integer.toString(a.compromiseCases()));
            }
            if (p.applications().isEmpty()) {
                empty(t, 10, "No application in scope.");
            }
            doc.add(t);
            section(doc, "Controls per application (as of the generation time)");
            for (UnitPack.ApplicationSummary a : p.applications()) {
                doc.add(new Paragraph(a.application() + " (" + a.unit() + ")", H3));
                controls(doc, a.controls());
            }
            section(doc, "Audit-chain proof");
            chain(doc, p.chain());
        } finally {
            doc.close();
        }
    }

    private static Document open(OutputStream out, String title) {
        Document doc = new Document(PageSize.A4, 36, 36, 40, 40);
        PdfWriter.getInstance(doc, out).setCloseStream(false);
        doc.addTitle(title);
        doc.addCreator("Bedrock Access Portal");
        HeaderFooter footer = new HeaderFooter(new Phrase(title + " · page ", SMALL), true);
        footer.setAlignment(Element.ALIGN_CENTER);
        footer.setBorder(Rectangle.NO_BORDER);
        doc.setFooter(footer);
        doc.open();
        return doc;
    }

    private static void section(Document doc, String title) {
        Paragraph p = new Paragraph(title, H2);
        p.setSpacingBefore(12);
        p.setSpacingAfter(4);
        doc.add(p);
    }

    private static void truncation(Document doc, List<String> truncated) {
        for (String t : truncated) {
            doc.add(new Paragraph("Truncated: " + t, MUTED));
        }
    }

    private static void controls(Document doc, List<ControlItem> controls) {
        PdfPTable t = table(new float[] { 0.8f, 1.7f, 1.2f, 4.3f }, "Framework", "Control", "Verdict", "Why");
        for (ControlItem c : controls) {
            t.addCell(cell(c.framework(), TEXT, null));
            t.addCell(cell(c.control(), TEXT, null));
            Color bg = switch (c.verdict()) {
            case MET -> MET;
            case NOT_MET -> NOT_MET;
            case NOT_EVIDENCED -> NOT_EVIDENCED;
            };
            t.addCell(cell(c.verdict().name().replace('_', ' ').toLowerCase(java.util.Locale.ROOT), H3, bg));
            t.addCell(cell(c.reason(), TEXT, null));
        }
        doc.add(t);
    }

    private static void chain(Document doc, EvidencePack.ChainProof c) {
        PdfPTable t = table(new float[] { 1.3f, 4 });
        pair(t, "Rows cited", Integer.toString(c.rowsCited()));
        if (c.firstSeq() >= 0) {
            pairMono(t, "First row", "seq " + c.firstSeq() + "  " + nz(c.firstHash()));
            pairMono(t, "Last row", "seq " + c.lastSeq() + "  " + nz(c.lastHash()));
        }
        pair(t, "Chain verification", (c.intact() ? "intact: "
                : com.bedrockportal.audit.ChainVerification.verdict(false, c.firstBrokenSeq())
                        .toUpperCase(java.util.Locale.ROOT) + " (" + c.problem() + "): ") + c.rowsChecked() + " rows checked on " + time(c.verifiedAt()));
        doc.add(t);
        doc.add(new Paragraph("Each row's hash is an HMAC-SHA256 under the portal's audit chain key (the export's "
                + "chain_key column names it; rows written before the chain was keyed: plain SHA-256) over its fields and "
                + "the previous row's hash; recomputing the chain from the audit log export up to the last row above, "
                + "with that key, must give the same hashes.", MUTED));
    }

    /** What a recorded policy change was: when, by which request or repair, on which IAM principal. */
    private static String applied(EvidencePack.PolicyItem change) {
        return "Applied " + time(change.appliedAt()) + " to " + change.iamUser() + " · "
                + (change.requestId() == null ? "drift repair by " + change.appliedBy()
                        : "provisioning of request #" + change.requestId());
    }

    private static void policy(Document doc, EvidencePack.PolicyItem policy) {
        PdfPTable t = table(new float[] { 1 });
        PdfPCell json = new PdfPCell(new Phrase(policy.policyJson(), MONO));
        json.setBackgroundColor(new Color(0xf4, 0xf5, 0xf7));
        json.setPadding(5);
        t.addCell(json);
        doc.add(t);
        if (policy.tags() != null && !policy.tags().isEmpty()) {
            StringBuilder tags = new StringBuilder("Tags: ");
            for (Map.Entry<String, String> e : policy.tags().entrySet()) {
                tags.append(e.getKey()).append('=').append(e.getValue()).append("; ");
            }
            doc.add(new Paragraph(tags.toString(), SMALL));
        }
    }

    private static void auditTable(Document doc, List<AuditItem> rows, boolean withHash) {
        PdfPTable t = withHash
                ? table(new float[] { 0.45f, 1.1f, 0.8f, 2.1f, 1, 2.3f, 1.3f }, "Seq", "When", "Actor", "Action",
                        "Target", "Details", "Hash (first 16)")
                : table(new float[] { 0.45f, 1.1f, 0.8f, 2.1f, 3 }, "Seq", "When", "Actor", "Action", "Details");
        for (AuditItem r : rows) {
            if (withHash) {
                cellsSmall(t, Long.toString(r.seq()), time(r.at()), r.actor(), r.action(), r.target(), nz(r.details()),
                        r.hash() == null ? "" : r.hash().substring(0, Math.min(16, r.hash().length())));
            } else {
                cellsSmall(t, Long.toString(r.seq()), time(r.at()), r.actor(), r.action(), nz(r.details()));
            }
        }
        doc.add(t);
    }

    private static PdfPTable table(float[] widths, String... headers) {
        PdfPTable t = new PdfPTable(widths);
        t.setWidthPercentage(100);
        t.setSpacingBefore(3);
        t.setSpacingAfter(6);
        t.setHeaderRows(headers.length > 0 ? 1 : 0);
        for (String h : headers) {
            t.addCell(cell(h, HEAD, HEAD_BG));
        }
        return t;
    }

    private static void pair(PdfPTable t, String label, String value) {
        t.addCell(cell(label, H3, new Color(0xee, 0xf1, 0xf5)));
        t.addCell(cell(nz(value), TEXT, null));
    }

    private static void pairMono(PdfPTable t, String label, String value) {
        t.addCell(cell(label, H3, new Color(0xee, 0xf1, 0xf5)));
        t.addCell(cell(value, MONO, null));
    }

    private static void cells(PdfPTable t, String... values) {
        for (String v : values) {
            t.addCell(cell(nz(v), TEXT, null));
        }
    }

    private static void cellsSmall(PdfPTable t, String... values) {
        for (String v : values) {
            t.addCell(cell(nz(v), SMALL, null));
        }
    }

    private static void empty(PdfPTable t, int columns, String text) {
        PdfPCell c = cell(text, MUTED, null);
        c.setColspan(columns);
        t.addCell(c);
    }

    private static PdfPCell cell(String text, Font font, Color background) {
        PdfPCell c = new PdfPCell(new Phrase(new Chunk(nz(text), font)));
        c.setPadding(3);
        c.setBorderColor(new Color(0xc8, 0xcd, 0xd3));
        if (background != null) {
            c.setBackgroundColor(background);
        }
        return c;
    }

    private static String time(Instant at) {
        return at == null ? "—" : TIME.format(at);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
