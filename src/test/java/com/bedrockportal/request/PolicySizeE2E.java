package com.bedrockportal.request;

import java.util.List;
import java.util.regex.Pattern;

import com.bedrockportal.testsupport.E2ESupport;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Today's incident at the form: four US inference profiles in three regions from five IP ranges make a policy over
 * the 2,048 characters AWS allows. The preview counts it live, the submit refuses it beside the models with the size
 * and what to trim, and nothing is created; trimmed to one region, as the message says, the error goes and the
 * request goes through.
 */
class PolicySizeE2E extends E2ESupport {

    static final String PURPOSE = "Compare four Claude, Llama and Pixtral models for campaign copy drafts.";
    static final List<String> PROFILES = List.of("Claude Sonnet 4.5 (US cross-region)",
            "Claude Haiku 4.5 (US cross-region)", "Llama 3.3 70B Instruct (US cross-region)",
            "Pixtral Large (25.02, US cross-region)");

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aliceSeesAnOversizedPolicyRefusedBesideTheModelsAndNothingIsCreated() {
        loginAs("alice");
        page.navigate(BASE + "/requests/new");
        assertThat(page.locator("#policy-size")).hasText(Pattern.compile("^[\\d,]+ of 2,048 characters$"));
        assertThat(page.locator("#policy-size")).hasAttribute("data-fits", "true");

        fillRequest(page, "Marketing", PURPOSE, PROFILES.get(0));
        for (String profile : PROFILES.subList(1, PROFILES.size())) {
            pick("request-models", profile);
        }
        pick("request-regions", "us-east-2");
        pick("request-regions", "us-west-2");
        page.locator("#request-cidrs textarea")
                .fill("203.0.113.0/24\n198.51.100.0/24\n192.0.2.0/24\n10.20.0.0/16\n2001:db8::/32");
        page.locator("#request-cidrs textarea").blur();
        assertThat(page.locator("#policy-json")).containsText("2001:db8::/32");
        assertThat(page.locator("#policy-json")).containsText("us.mistral.pixtral-large-2502-v1:0");
        assertThat(page.locator("#policy-size")).hasAttribute("data-fits", "false");
        assertThat(page.locator("#policy-size")).containsText(Pattern.compile("[\\d,]+ of 2,048 characters: [\\d,]+ "
                + "over the limit AWS applies"));

        page.locator("#request-submit").click();
        Locator modelsError = page.locator("#request-models [slot=error-message]");
        assertThat(modelsError).containsText(Pattern.compile("The policy would have [\\d,]+ characters; AWS allows "
                + "2,048 for a user's policy\\. Trim [\\d,]+"));
        assertThat(modelsError).containsText("choose fewer models or regions");
        assertThat(modelsError).isVisible();
        assertThat(page.locator("#request-models")).hasAttribute("invalid", "");
        assertThat(page.locator("#request-form-error")).hasText("Please correct the marked fields.");
        assertThat(page).hasURL(BASE + "/requests/new");
        page.locator("#request-models").evaluate("e => e.scrollIntoView({ block: 'center' })");
        screenshot("request-policy-too-large");

        Page myRequests = context.newPage();
        myRequests.navigate(BASE + "/requests");
        assertThat(myRequests.locator("#my-requests-grid")).isVisible();
        assertThat(myRequests.locator("#my-requests-grid")).not().hasAttribute("loading", "");
        assertThat(myRequests.locator("#my-requests-grid vaadin-grid-cell-content")
                .filter(new Locator.FilterOptions().setHasText("Pixtral Large"))).hasCount(0);
        assertThat(requestsWithPurpose()).isZero();

        // Trimmed as the message says: one region is enough for cross-region profiles.
        page.bringToFront();
        removeChip("request-regions", "us-west-2");
        removeChip("request-regions", "us-east-2");
        assertThat(page.locator("#policy-size")).hasAttribute("data-fits", "true");
        assertThat(page.locator("#policy-size")).hasText(Pattern.compile("^[\\d,]+ of 2,048 characters$"));
        assertThat(page.locator("#request-models")).not().hasAttribute("invalid", "");
        assertThat(modelsError).not().isVisible();
        screenshot("request-policy-trimmed");
        long id = submitRequest(page);
        assertThat(page.locator("#request-status")).hasText("Waiting for manager");
        myRequests.reload();
        assertThat(myRequests.locator("#my-requests-grid vaadin-grid-cell-content")
                .filter(new Locator.FilterOptions().setHasText("Pixtral Large").setVisible(true))).hasCount(1);
        assertThat(requestsWithPurpose()).isEqualTo(1);
        assertThat(jdbc.queryForObject("select regions from access_request where id = ?", String.class, id))
                .isEqualTo("us-east-1");
    }

    /** Opens a multi-select combo box's list, filtered to {@code text}, and selects the first item with that text. */
    private void pick(String comboId, String text) {
        page.locator("#" + comboId + " input").fill(text);
        multiOption(page, text).first().click();
        page.keyboard().press("Escape");
    }

    /** Removes a selected item of a multi-select combo box with its chip's remove button. */
    private void removeChip(String comboId, String text) {
        page.locator("#" + comboId + " vaadin-multi-select-combo-box-chip[slot=chip][title='" + text + "']")
                .locator("[part=remove-button]").click();
        assertThat(page.locator("#" + comboId + " vaadin-multi-select-combo-box-chip[slot=chip][title='" + text
                + "']")).hasCount(0);
    }

    private int requestsWithPurpose() {
        return jdbc.queryForObject("select count(*) from access_request where purpose = ?", Integer.class, PURPOSE);
    }
}
