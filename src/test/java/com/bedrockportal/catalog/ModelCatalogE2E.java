package com.bedrockportal.catalog;

import com.bedrockportal.testsupport.E2ESupport;

import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

class ModelCatalogE2E extends E2ESupport {

    @Test
    void adminRefreshesFromTheSimulatedAccountAndEnablesAModel() {
        loginAs("adam");
        page.navigate(BASE + "/admin/models");
        assertThat(visibleCells("catalog-grid", "Claude Sonnet 4.5 (US cross-region)")).hasCount(1);
        page.locator("#catalog-refresh").click();
        assertThat(page.locator("vaadin-notification-card").filter(new com.microsoft.playwright.Locator.FilterOptions()
                .setHasText("models offered"))).isVisible();
        assertThat(visibleCells("catalog-grid", "Command R+")).hasCount(1);
        var checkbox = page.locator("vaadin-checkbox[data-model='cohere.command-r-plus-v1:0']");
        assertThat(checkbox).not().hasAttribute("checked", "");
        checkbox.click();
        assertThat(page.locator("vaadin-checkbox[data-model='cohere.command-r-plus-v1:0']")).hasAttribute("checked", "");
        screenshot("model-catalog-adam");

        page.navigate(BASE + "/audit");
        page.locator("#audit-filter-target input").fill("model:cohere.command-r-plus-v1:0");
        assertThat(page.locator("#audit-grid")).containsText("MODEL_ENABLED");
    }

    @Test
    void requestersCannotOpenTheCatalogAdmin() {
        loginAs("alice");
        page.navigate(BASE + "/admin/models");
        assertThat(page.locator("#access-denied")).isVisible();
    }
}
