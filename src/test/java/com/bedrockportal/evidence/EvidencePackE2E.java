package com.bedrockportal.evidence;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;
import com.microsoft.playwright.Download;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * sara downloads a provisioned application's evidence pack from its page and the PDF's text holds the policy and
 * the approvals; alice, who requested it, is offered no pack and cannot open the evidence page; sara makes a unit's
 * pack for a period, after the page refused a period that ends before it starts.
 */
class EvidencePackE2E extends E2ESupport {

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    private long provisionedApplication(BusinessUnit unit) {
        AccessRequest r = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(r.id(), true, "Within the unit's budget."), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(r.id(), true, "Least privilege, one model."), "SECURITY");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "PROVISIONED".equals(jdbc.queryForObject(
                "select status from access_request where id = ?", String.class, r.id())));
        return jdbc.queryForObject("select application_id from access_request where id = ?", Long.class, r.id());
    }

    @Test
    void saraDownloadsAnApplicationsEvidencePackWithThePolicyAndTheApprovals() throws Exception {
        BusinessUnit unit = Fixtures.unit(units, "evd");
        long application = provisionedApplication(unit);

        loginAs("sara");
        page.navigate(BASE + "/applications/" + application);
        assertThat(page.locator("#evidence-card")).isVisible();
        page.locator("#evidence-card").scrollIntoViewIfNeeded();
        page.locator("#evidence-card").screenshot(new com.microsoft.playwright.Locator.ScreenshotOptions()
                .setPath(Path.of("target/screenshots", "evidence-application-card-sara.png")));
        Download pdf = page.waitForDownload(() -> page.locator("#evidence-download-pdf").click());
        assertThat(pdf.suggestedFilename()).isEqualTo("evidence-application-" + application + ".pdf");
        String text = EvidenceRenderTest.pdfText(Files.readAllBytes(pdf.path()));
        Files.createDirectories(Path.of("target/screenshots"));
        Files.copy(pdf.path(), Path.of("target/screenshots/evidence-application-e2e.pdf"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(text).contains("bedrock:CallWithBearerToken")
                .contains("arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0")
                .contains("mike (MANAGER)").contains("sara (SECURITY)").contains("Within the unit's budget.")
                .contains("Least privilege, one model.");
        String prefix = jdbc.queryForObject("select key_prefix from api_key where application_id = ?", String.class,
                application);
        assertThat(text).contains(prefix);
        Download json = page.waitForDownload(() -> page.locator("#evidence-download-json").click());
        assertThat(Files.readString(json.path())).contains("\"decidedBy\" : \"mike\"");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where actor = 'sara' and action = ? and "
                + "target = ?", Integer.class, EvidencePacks.AUDIT_DOWNLOADED, "application:" + application))
                .isEqualTo(2);
    }

    @Test
    void aRequesterIsOfferedNoPackAndCannotOpenTheEvidencePage() {
        BusinessUnit unit = Fixtures.unit(units, "evr");
        long application = provisionedApplication(unit);

        loginAs("alice");
        page.navigate(BASE + "/applications/" + application);
        assertThat(page.locator("#application-access")).isVisible();
        assertThat(page.locator("#evidence-card")).hasCount(0);
        assertThat(page.locator("#main-nav")).not().containsText("Evidence packs");
        page.navigate(BASE + "/evidence");
        assertThat(page.locator("#evidence")).hasCount(0);
        assertThat(page.locator("body")).not().containsText("Evidence packs");
    }

    @Test
    void saraMakesAUnitsPackForAPeriodAfterABadPeriodIsRefusedBesideTheField() throws Exception {
        BusinessUnit unit = Fixtures.unit(units, "evu");
        provisionedApplication(unit);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        loginAs("sara");
        page.navigate(BASE + "/evidence");
        choose("evidence-unit", unit.displayName());
        setDate("evidence-from", today.plusDays(2));
        assertThat(page.locator("#evidence-to")).hasAttribute("invalid", "");
        assertThat(page.locator("#evidence-to")).containsText("The last day must not be before the first day.");
        assertThat(page.locator("#evidence-unit-pdf")).hasAttribute("disabled", "");
        screenshot("evidence-page-refused-sara");
        setDate("evidence-from", today.minusDays(30));
        assertThat(page.locator("#evidence-to")).not().hasAttribute("invalid", "");
        screenshot("evidence-page-sara");
        page.setViewportSize(390, 844);
        screenshot("evidence-page-sara-390");
        page.setViewportSize(1366, 900);
        Download pdf = page.waitForDownload(() -> page.locator("#evidence-unit-pdf").click());
        String text = EvidenceRenderTest.pdfText(Files.readAllBytes(pdf.path()));
        Files.copy(pdf.path(), Path.of("target/screenshots/evidence-unit-e2e.pdf"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(text).contains("Evidence pack: " + unit.displayName()).contains("Period " + today.minusDays(30)
                + " to " + today).contains("Network access restricted");
    }

    /** Sets a date picker's value as the user would by picking a day (the ISO value the component holds). */
    private void setDate(String id, LocalDate date) {
        page.locator("#" + id).evaluate("(el, v) => { el.value = v; el.dispatchEvent(new CustomEvent('change')); }",
                date.toString());
    }
}
