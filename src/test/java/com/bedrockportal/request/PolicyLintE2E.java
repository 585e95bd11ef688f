package com.bedrockportal.request;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14 at the form and at the approval page: alice sees the policy lint change as she types (no IP condition →
 * warning → gone with a range; 0.0.0.0/0 → error, refused beside the field) and the cost estimate of her volume with
 * a budget warning; mike sees the same findings and estimate when he decides; adam keeps a model's price current.
 */
class PolicyLintE2E extends E2ESupport {

    static final String SONNET = "Claude Sonnet 4.5 (US cross-region)";

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aliceSeesLintAndEstimateAsSheTypesAndMikeSeesTheSameWhenHeDecides() {
        page.setViewportSize(1366, 900);
        loginAs("alice");
        page.navigate(BASE + "/requests/new");
        page.locator("#request-unit input").fill("Marketing");
        option(page, "Marketing").first().click();
        page.locator("#request-app-name input").fill("Lint " + System.nanoTime() % 1_000_000);
        page.locator("#request-purpose textarea").fill("Draft campaign copy from confidential customer briefs.");
        page.locator("#request-models input").fill(SONNET);
        multiOption(page, SONNET).first().click();
        page.keyboard().press("Escape");
        page.locator("#request-classification vaadin-radio-button").filter(new Locator.FilterOptions()
                .setHasText("Confidential")).click();

        Locator lint = page.locator("#policy-lint");
        Locator ipRule = lint.locator("[data-rule=SOURCE_IP]");
        assertThat(ipRule).hasAttribute("data-severity", "WARNING");
        assertThat(ipRule).containsText("No IP condition: the key works from any address");
        assertThat(ipRule).containsText("Fix: List the CIDR ranges");
        assertThat(lint.locator("[data-rule=GUARDRAIL]")).hasAttribute("data-severity", "WARNING");
        assertThat(lint.locator("[data-rule=BEARER_TOKEN]")).hasAttribute("data-severity", "OK");

        Locator cidrs = page.locator("#request-cidrs textarea");
        cidrs.fill("203.0.113.0/24");
        cidrs.blur();
        assertThat(ipRule).hasAttribute("data-severity", "OK");
        assertThat(ipRule).containsText("only works from the listed IP ranges");

        page.locator("#request-budget input").fill("100");
        page.locator("#request-volume-requests input").fill("1000");
        page.locator("#request-volume-input input").fill("2000");
        page.locator("#request-volume-output input").fill("500");
        page.locator("#request-volume-output input").blur();
        Locator estimate = page.locator("#cost-estimate");
        // 30 days × 1,000 calls × (2,000 × $0.003 + 500 × $0.015) / 1,000 = $405.00
        assertThat(estimate.locator(".cost-line")).containsText("Claude Sonnet 4.5 (US cross-region): $405.00 a month");
        assertThat(estimate.locator(".cost-total")).hasText("Estimated total: $405.00 a month · your budget: $100.00");
        assertThat(page.locator("#cost-estimate-warning")).hasAttribute("data-check", "BELOW");
        assertThat(page.locator("#cost-estimate-warning")).containsText("is below the estimate ($405.00)");
        page.locator("#policy-lint").evaluate("e => e.scrollIntoView({ block: 'start' })");
        screenshot("lint-form-1366");

        cidrs.fill("203.0.113.0/24\n0.0.0.0/0");
        cidrs.blur();
        assertThat(ipRule).hasAttribute("data-severity", "ERROR");
        assertThat(ipRule).containsText("'0.0.0.0/0' allows every address; the portal refuses it.");
        page.locator("#request-submit").click();
        assertThat(page.locator("#request-cidrs [slot=error-message]"))
                .hasText("'0.0.0.0/0' allows every address; leave the field empty instead, or name your networks.");
        assertThat(page.locator("#request-cidrs")).hasAttribute("invalid", "");
        assertThat(page).hasURL(BASE + "/requests/new");
        page.setViewportSize(390, 844);
        page.locator("#request-cidrs").evaluate("e => e.scrollIntoView({ block: 'center' })");
        screenshot("lint-form-refused-390");
        page.setViewportSize(1366, 900);

        cidrs.fill("203.0.113.0/24");
        cidrs.blur();
        assertThat(ipRule).hasAttribute("data-severity", "OK");
        long id = submitRequest(page);
        assertThat(jdbc.queryForObject("select requests_per_day from request_risk where request_id = ?",
                Integer.class, id)).isEqualTo(1000);

        try (BrowserContext mikes = Browsers.context(new com.microsoft.playwright.Browser
                .NewContextOptions().setViewportSize(1366, 900))) {
            Page mike = loginAs(mikes.newPage(), "mike");
            mike.navigate(BASE + "/requests/" + id);
            Locator mikesLint = mike.locator("#request-lint");
            assertThat(mikesLint.locator("[data-rule=GUARDRAIL]")).hasAttribute("data-severity", "WARNING");
            assertThat(mikesLint.locator("[data-rule=GUARDRAIL]"))
                    .containsText("Confidential data without a guardrail");
            assertThat(mikesLint.locator("[data-rule=SOURCE_IP]")).hasAttribute("data-severity", "OK");
            assertThat(mikesLint.locator("[data-rule=KEY_LIFETIME]")).containsText("The key lives 30 days");
            assertThat(mike.locator("#request-cost .cost-total"))
                    .hasText("Estimated total: $405.00 a month · your budget: $100.00");
            assertThat(mike.locator("#request-cost-warning")).containsText("is below the estimate ($405.00)");
            assertThat(mike.locator("#decision-approve")).isVisible();
            mike.locator("#request-lint").evaluate("e => e.scrollIntoView({ block: 'start' })");
            mike.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots", "lint-approval-1366.png"))
                    .setFullPage(true));
            mike.setViewportSize(390, 844);
            mike.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots", "lint-approval-390.png"))
                    .setFullPage(true));
        }
    }

    @Test
    void adamEditsAPriceWhichIsCheckedOnTheServer() {
        String model = "mistral.pixtral-large-2502-v1:0";
        try {
            page.setViewportSize(1366, 900);
            loginAs("adam");
            page.navigate(BASE + "/admin/models");
            page.locator("#price-grid vaadin-button[data-model='" + model + "']").filter(
                    new Locator.FilterOptions().setVisible(true)).first().click();
            page.locator("#price-input input").fill("-1");
            page.locator("#price-save").click();
            assertThat(page.locator("#price-input [slot=error-message]"))
                    .hasText("The price must be 0 to 10 USD per 1,000 tokens.");
            page.locator("#price-input input").fill("0.0025");
            page.locator("#price-output input").fill("0.0075");
            page.locator("#price-save").click();
            assertThat(page.locator("#price-dialog")).hasCount(0);
            assertThat(visibleCells("price-grid", "$0.0025")).hasCount(1);
            assertThat(visibleCells("price-grid", "$0.0075")).hasCount(1);
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            assertThat(jdbc.queryForObject("select updated_by from model_price where model_id = ?", String.class,
                    model)).isEqualTo("adam");
            assertThat(jdbc.queryForObject("select cast(checked_on as varchar(10)) from model_price where model_id = ?",
                    String.class, model)).isEqualTo(today);
            assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'MODEL_PRICE_CHANGED' "
                    + "and target = ?", Integer.class, "model:" + model)).isPositive();
            page.locator("#price-table").evaluate("e => e.scrollIntoView({ block: 'start' })");
            screenshot("price-table-1366");
            page.setViewportSize(390, 844);
            assertThat(page.locator("#price-grid")).not().hasAttribute("data-responsive-pending", "");
            assertThat(visibleCells("price-grid", "Output per 1k tokens $0.0075").first()).isVisible();
            page.locator("#price-table").evaluate("e => e.scrollIntoView({ block: 'start' })");
            screenshot("price-table-390");
        } finally {
            jdbc.update("update model_price set input_per_1k = 0.002, output_per_1k = 0.006 where model_id = ?", model);
        }
    }
}
