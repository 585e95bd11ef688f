package com.bedrockportal.layout;

import java.util.List;

import com.bedrockportal.testsupport.Accessibility;
import com.bedrockportal.testsupport.E2ESupport;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.ColorScheme;

import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The frame around every page: not-found and denied pages, Camunda's refusal, and the colour theme. */
class LayoutE2E extends E2ESupport {

    private static final String DARK_SELECTOR = "html[theme~='dark']";

    @Test
    void anUnknownAddressShowsANotFoundPageInsideTheLayout() {
        loginAs("alice");
        page.navigate(BASE + "/nope/deeper");
        assertThat(page.locator("#not-found h2")).hasText("Page not found");
        assertThat(page.locator("#not-found")).containsText("There is no page at /nope/deeper");
        assertThat(page.locator("#main-nav")).isVisible();
        assertThat(page).hasTitle("Page not found · Bedrock Access Portal");
        assertThat(page.locator("#not-found a")).hasAttribute("href", "");
        assertThat(Accessibility.seriousFindings(page)).isEmpty();

        page.locator("#not-found a").click();
        assertThat(page.locator("#home")).isVisible();

        // An application's address that is no number (or none a long holds) is not found either, not an error page.
        for (String bad : java.util.List.of("abc", "99999999999999999999")) {
            page.navigate(BASE + "/applications/" + bad);
            assertThat(page.locator("#not-found")).containsText("There is no page at /applications/" + bad);
            assertThat(page.locator("#main-nav")).isVisible();
        }
    }

    @Test
    void aDeniedPageHasATitleAndTheLayout() {
        loginAs("alice");
        page.navigate(BASE + "/audit");
        assertThat(page.locator("#access-denied h2")).hasText("You don't have access to this page");
        assertThat(page).hasTitle("You don't have access to this page · Bedrock Access Portal");
        assertThat(page.locator("#main-nav")).isVisible();
        assertThat(Accessibility.seriousFindings(page)).isEmpty();
    }

    @Test
    void camundaRefusesOtherRolesWithAPortalPageNotAWhitelabelPage() {
        loginAs("sara");
        Response cockpit = page.navigate(BASE + "/camunda/app/cockpit/default/");
        assertThat(cockpit.status()).isEqualTo(403);
        assertThat(page.locator("#error-page h1")).hasText("You don't have access to this page");
        assertThat(page.locator("#error-page")).containsText("platform admins only");
        assertThat(page.locator("body")).not().containsText("Whitelabel");
        assertThat(page).hasTitle("Not for your role · Bedrock Access Portal");
        assertThat(Accessibility.seriousFindings(page)).isEmpty();

        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
        assertThat(page.locator("body")).hasCSS("background-color", "rgb(23, 32, 43)");
        assertThat(Accessibility.seriousFindings(page)).isEmpty();

        page.locator("#error-page a").click();
        assertThat(page.locator("#home")).isVisible();
    }

    @Test
    void theThemeFollowsTheSystemUntilTheUserChoosesAndRemembersTheChoice() {
        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
        loginAs("mike");
        assertThat(page.locator(DARK_SELECTOR)).hasCount(1);
        assertThat(page.locator("#theme-toggle")).hasAttribute("data-theme-choice", "system");

        // The system switches to light while the page is open: the page follows.
        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
        assertThat(page.locator(DARK_SELECTOR)).hasCount(0);

        // The user chooses dark: it stays dark although the system is light, also after a reload.
        page.locator("#theme-toggle").click();
        page.locator("vaadin-context-menu-item").filter(
                new com.microsoft.playwright.Locator.FilterOptions().setHasText("Dark")).click();
        assertThat(page.locator(DARK_SELECTOR)).hasCount(1);
        page.reload();
        assertThat(page.locator("#main-nav")).isAttached();
        assertThat(page.locator(DARK_SELECTOR)).hasCount(1);
        assertThat(page.locator("#theme-toggle")).hasAttribute("data-theme-choice", "dark");
        String text = page.locator("#current-user-name").evaluate("e => getComputedStyle(e).color").toString();
        assertThat(brightness(text)).as("user name colour %s in the dark theme", text).isGreaterThan(150);

        // Back to the system setting (light).
        page.locator("#theme-toggle").click();
        page.locator("vaadin-context-menu-item").filter(
                new com.microsoft.playwright.Locator.FilterOptions().setHasText("Follow the system")).click();
        assertThat(page.locator(DARK_SELECTOR)).hasCount(0);
        assertThat(page.locator("#theme-toggle")).hasAttribute("data-theme-choice", "system");
    }

    /** The mean of an {@code rgb(r, g, b)} colour's channels. */
    private static int brightness(String rgb) {
        List<Integer> channels = java.util.Arrays.stream(rgb.replaceAll("[^0-9,]", "").split(","))
                .limit(3).map(Integer::parseInt).toList();
        return (channels.get(0) + channels.get(1) + channels.get(2)) / 3;
    }
}
