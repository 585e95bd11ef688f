package com.bedrockportal.testsupport;

import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * Base for browser tests: the whole portal on a fixed port (the embedded provider's redirect URI must match exactly)
 * with the embedded login provider on a free port, an in-memory H2 database, and a fresh browser context per test.
 * Every test logs in through the real login page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "server.port=${test.e2e.port:18080}",
        "portal.identity.embedded-idp.port=0",
        "spring.datasource.url=jdbc:h2:mem:e2e" + E2ESupport.H2_OPTIONS,
        "vaadin.launch-browser=false",
        // Vaadin's development tools (and Copilot) float over the page's bottom corner and take clicks meant for it.
        "vaadin.devmode.devTools.enabled=false",
        PostgresSupport.NO_SCHEDULED_USAGE, PostgresSupport.NO_SCHEDULED_REDELIVERY,
        // Failing steps become incidents quickly in browser tests.
        "portal.provisioning.retry-cycle=R2/PT1S" })
@ExtendWith(PageStateOnFailure.class)
public abstract class E2ESupport extends ContextSupport {

    /**
     * The options of the browser tests' in-memory databases: kept while the context lives, and waiting for a row
     * lock as the embedded default does (LOCK_TIMEOUT, see application.yml).
     */
    public static final String H2_OPTIONS = ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";

    /** 18080 unless {@code -Dtest.e2e.port} says otherwise (two checkouts testing side by side). */
    public static final int PORT = Integer.getInteger("test.e2e.port", 18080);
    public static final String BASE = "http://localhost:" + PORT;

    protected BrowserContext context;
    protected Page page;

    static {
        // Vaadin and the job executor answer in their own time; assertions wait for the condition, up to this.
        com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
    }

    /** Chat posts and Slack's Web API go to the stub (the same for every browser test: one shared context). */
    @org.springframework.test.context.DynamicPropertySource
    static void chat(org.springframework.test.context.DynamicPropertyRegistry registry) {
        SlackStub.configure(registry);
    }

    @BeforeEach
    void openBrowser() {
        context = Browsers.context(new Browser.NewContextOptions().setViewportSize(1280, 900), animationRate());
        context.setDefaultTimeout(20_000);
        page = context.newPage();
    }

    /**
     * How many times as fast the test's pages play transitions and animations: faster than a person sees them
     * (Browsers), since tests wait for what the page shows, not for how long it takes; 1 in a benchmark that times it.
     */
    protected double animationRate() {
        return Browsers.ANIMATION_RATE;
    }

    @AfterEach
    void closeBrowser() {
        context.close();
    }

    /** Hands a finished request's response, if it has one, to {@code use}. */
    public static void finished(com.microsoft.playwright.Request request,
            java.util.function.Consumer<com.microsoft.playwright.Response> use) {
        com.microsoft.playwright.Response response = request.response();
        if (response != null) {
            use.accept(response);
        }
    }

    /** A finished response's body as text; empty for one without a body (a redirect, a websocket upgrade). */
    public static String body(com.microsoft.playwright.Response response) {
        try {
            return response.text();
        } catch (RuntimeException noBody) {
            return "";
        }
    }

    /** Logs in through the embedded provider's login page and waits for the portal's navigation. */
    protected Page loginAs(String username) {
        return loginAs(page, username);
    }

    protected static Page loginAs(Page page, String username) {
        return loginAs(page, BASE, username);
    }

    /** Logs in to the portal at {@code base} (a test that runs a portal of its own on another port). */
    public static Page loginAs(Page page, String base, String username) {
        page.navigate(base + "/");
        page.locator("#username").fill(username);
        page.locator("#password").fill(username + "-demo");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        page.waitForURL(Pattern.compile("^" + Pattern.quote(base) + ".*"));
        assertThat(page.locator("#main-nav")).isAttached();
        return page;
    }

    /** The side navigation's entry for a page, by the label it shows. */
    public static Locator navItem(Page page, String label) {
        return page.locator("#main-nav vaadin-side-nav-item[data-label='" + label + "']");
    }

    /**
     * Fills the request form: unit, a new application with a name of its own (its slug follows the name), purpose,
     * one model (by its label), and a source range.
     */
    protected static void fillRequest(Page page, String unit, String purpose, String model) {
        fillRequest(page, unit, "App " + UUID.randomUUID().toString().substring(0, 8), purpose, model);
    }

    /** Fills the request form for a new application with this name (slug derived from it). */
    protected static void fillRequest(Page page, String unit, String application, String purpose, String model) {
        page.locator("#request-unit input").fill(unit);
        option(page, unit).first().click();
        page.locator("#request-app-name input").fill(application);
        page.locator("#request-purpose textarea").fill(purpose);
        page.locator("#request-models input").fill(model);
        multiOption(page, model).first().click();
        page.keyboard().press("Escape");
        page.locator("#request-cidrs textarea").fill("203.0.113.0/24");
        page.locator("#request-cidrs textarea").blur();
    }

    /**
     * The shown option of a Vaadin combo box with this text. While the list filters, a hidden recycled item can carry
     * the same text; it is never the one to wait for or click.
     */
    public static Locator option(Page page, String text) {
        return page.locator("vaadin-combo-box-item:not([hidden])").filter(new Locator.FilterOptions().setHasText(text));
    }

    /** The shown option of a Vaadin multi-select combo box with this text (see {@link #option}). */
    public static Locator multiOption(Page page, String text) {
        return page.locator("vaadin-multi-select-combo-box-item:not([hidden])")
                .filter(new Locator.FilterOptions().setHasText(text));
    }

    /** Submits the request form and returns the new request's id (from the page it lands on). */
    protected static long submitRequest(Page page) {
        page.locator("#request-submit").click();
        page.waitForURL(Pattern.compile(".*/requests/\\d+$"));
        return Long.parseLong(page.url().replaceAll(".*/requests/(\\d+)$", "$1"));
    }

    /** Picks an item of a Vaadin combo box by typing its text and clicking the matching option. */
    protected void choose(String comboId, String text) {
        page.locator("#" + comboId + " input").fill(text);
        option(page, text).first().click();
        assertThat(page.locator("vaadin-combo-box-overlay[opened]")).hasCount(0);
    }

    /** The visible grid cells with this text (a Vaadin grid keeps stale, hidden rows in the DOM). */
    protected Locator visibleCells(String gridId, String text) {
        return page.locator("#" + gridId + " vaadin-grid-cell-content")
                .filter(new Locator.FilterOptions().setHasText(text).setVisible(true));
    }

    /**
     * The element is shown as a refusal: in the theme's error colour (whichever theme the page is in), and read out
     * when its text changes.
     */
    protected static void assertShownAsError(Locator element) {
        assertThat(element).isVisible();
        assertThat(element).hasAttribute("aria-live", "polite");
        // The probe differs from the surrounding text, so an undefined colour variable cannot pass.
        Object errorColour = element.evaluate("e => { const p = document.createElement('span');"
                + " p.style.color = 'var(--lumo-error-text-color)'; e.parentElement.appendChild(p);"
                + " const c = getComputedStyle(p).color; p.remove();"
                + " if (c === getComputedStyle(e.parentElement).color) return 'no error colour in the theme';"
                + " return c === getComputedStyle(e).color ? 'error colour' : getComputedStyle(e).color; }");
        org.assertj.core.api.Assertions.assertThat(errorColour).as("colour of %s", element).isEqualTo("error colour");
    }

    /** How long a person holds the mouse button down in a click, about: Playwright's own click holds it for none. */
    public static final double PERSONS_PRESS_MS = 120;

    /**
     * Clicks as a person does, the button held down for {@link #PERSONS_PRESS_MS}: a page that moves the button during
     * the press (a message going at the press) loses this click, as it loses a person's.
     */
    public static void clickAsAPerson(Locator button) {
        button.click(new Locator.ClickOptions().setDelay(PERSONS_PRESS_MS));
    }

    /**
     * Types {@code text} into a field that shows a message (its input or text area) and waits until the message went
     * as it does while a person types: before any click below it, which it would otherwise move (FormErrors.mark).
     */
    public static void correct(Locator field, String text) {
        field.locator("input, textarea").first().fill(text);
        assertThat(field).not().hasAttribute("invalid", "");
    }

    /** Saves a screenshot under target/screenshots for a person to look at. */
    protected void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots", name + ".png"))
                .setFullPage(true));
    }
}
