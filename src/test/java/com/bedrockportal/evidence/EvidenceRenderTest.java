package com.bedrockportal.evidence;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.bedrockportal.evidence.EvidencePack.AuditItem;
import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;

import org.junit.jupiter.api.Test;

import static com.bedrockportal.evidence.ControlsTest.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/** Both renderers write the same model; the PDF's text holds the policy, the approvals and the controls. */
class EvidenceRenderTest {

    static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
            + "[\"bedrock:InvokeModel\",\"bedrock:CallWithBearerToken\"],\"Resource\":"
            + "[\"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0\"]}]}";

    static EvidencePack pack(int auditRows) {
        EvidencePack.Header h = ControlsTest.header(List.of("203.0.113.0/24"), false);
        EvidencePack.PolicyItem asked = EvidencePack.PolicyItem.asked(h.iamUser(), POLICY,
                Map.of("data-classification", "confidential"), 3);
        EvidencePack.PolicyItem policy = new EvidencePack.PolicyItem(h.iamUser(), POLICY,
                Map.of("data-classification", "confidential"), EvidencePack.PolicyItem.APPLIED, 3L,
                "portal (request 3)", NOW);
        List<AuditItem> rows = new ArrayList<>();
        for (int i = 0; i < auditRows; i++) {
            rows.add(new AuditItem(100 + i, NOW.minus(Duration.ofHours(auditRows - i)), "system",
                    "PROVISIONING_STEP", "request:3", "step " + i, "%064d".formatted(i)));
        }
        List<EvidencePack.KeyItem> keys = List.of(new EvidencePack.KeyItem(9, "ABSKQmVkcm9j", NOW, NOW.plus(
                Duration.ofDays(90)), "active", NOW, "alice", List.of()));
        EvidencePack.ChainProof chain = new EvidencePack.ChainProof(rows.size(), 100, "%064d".formatted(0),
                99 + rows.size(), "%064d".formatted(rows.size() - 1), true, 5000, -1, null, NOW);
        return new EvidencePack(h, List.of(new EvidencePack.RequestItem(3, "NEW", "alice", NOW, "PROVISIONED",
                "Copy", List.of(new EvidencePack.Approval("MANAGER", "mike", "MANAGER", true, "fine", NOW),
                        new EvidencePack.Approval("SECURITY", "sara", "SECURITY", true, null, NOW)), asked)),
                policy, List.of(policy), keys, List.of(), List.of(), List.of(), rows, chain,
                Controls.judge(h, keys, List.of(), List.of(), chain, NOW, Duration.ofDays(92)), List.of());
    }

    static String pdfText(byte[] pdf) throws Exception {
        PdfReader reader = new PdfReader(pdf);
        try {
            PdfTextExtractor extractor = new PdfTextExtractor(reader);
            StringBuilder text = new StringBuilder();
            for (int page = 1; page <= reader.getNumberOfPages(); page++) {
                text.append(extractor.getTextFromPage(page)).append('\n');
            }
            return text.toString();
        } finally {
            reader.close();
        }
    }

    @Test
    void thePdfShowsThePolicyTheApprovalsTheControlsAndTheChainProof() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EvidencePdf.application(pack(40), out);
        // Kept for a look (pdftoppm / convert): target/screenshots/evidence-sample.pdf
        java.nio.file.Files.createDirectories(java.nio.file.Path.of("target/screenshots"));
        java.nio.file.Files.write(java.nio.file.Path.of("target/screenshots/evidence-sample.pdf"), out.toByteArray());
        String text = pdfText(out.toByteArray());
        assertThat(text).contains("bedrock:CallWithBearerToken").contains("foundation-model/anthropic.claude-3-haiku")
                .contains("mike (MANAGER)").contains("sara (SECURITY)").contains("ABSKQmVkcm9j")
                .contains("No access review recorded.").contains("Network access restricted")
                .contains("Multi-factor authentication").contains("seq 100").contains("intact: 5000 rows checked")
                .contains("Policy at each change").contains("provisioning of request #3")
                .contains("as the portal applied them last");
    }

    @Test
    void theJsonTwinCarriesTheSameModel() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(out.size()).isZero();
        try {
            EvidenceJson.write(pack(3), out);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json).contains("\"decidedBy\" : \"mike\"").contains("bedrock:CallWithBearerToken")
                .contains("\"verdict\" : \"NOT_EVIDENCED\"").contains("\"firstSeq\" : 100")
                .contains("\"generatedAt\" : \"2026-12-02T12:00:00Z\"")
                .contains("\"source\" : \"APPLIED\"").contains("\"source\" : \"ASKED\"");
    }

    @Test
    void freeTextShapedLikeAKeyKeepsOnlyItsPrefix() {
        // Made at run time, shaped like a Bedrock API key: "ABSK" and base64.
        byte[] raw = new byte[48];
        new java.security.SecureRandom().nextBytes(raw);
        String secret = "ABSK" + java.util.Base64.getEncoder().encodeToString(raw);
        assertThat(EvidencePacks.mask("pasted " + secret + " by mistake")).doesNotContain(secret.substring(12))
                .contains(secret.substring(0, 12));
    }
}
