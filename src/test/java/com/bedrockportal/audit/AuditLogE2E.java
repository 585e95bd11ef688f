package com.bedrockportal.audit;

import java.util.UUID;

import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

class AuditLogE2E extends E2ESupport {

    @Autowired
    ChainKeys keys;
    @Autowired
    ChainWitness witness;
    @Autowired
    org.springframework.context.ApplicationContext portal;

    /** "whole" when every row number in the grid is shown whole in a cell that could hold "10000000"; else why not. */
    private static final String ROW_NUMBERS_SHOWN_WHOLE = """
            () => {
              const cells = [...document.querySelectorAll('#audit-grid vaadin-grid-cell-content')]
                  .filter(c => /^\\d+$/.test(c.textContent.trim()) && c.offsetParent !== null);
              if (cells.length === 0) return 'no row numbers shown';
              const style = getComputedStyle(cells[0]);
              const probe = document.createElement('span');
              probe.style.font = style.font;
              probe.style.position = 'absolute';
              probe.style.whiteSpace = 'nowrap';
              probe.textContent = '10000000';
              document.body.appendChild(probe);
              const eightDigits = probe.getBoundingClientRect().width;
              probe.remove();
              const room = c => c.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
              const cut = cells.filter(c => c.scrollWidth > c.clientWidth || room(c) < eightDigits);
              return cut.length === 0 ? 'whole' : 'cut: ' + cut.map(c => c.textContent.trim() + ' in ' + room(c)
                  + ' px').join(', ') + '; eight digits need ' + eightDigits + ' px';
            }""";

    @Test
    void securitySeesTheLoginsThatJustHappenedAndTheChainVerifies() throws Exception {
        try (BrowserContext other = Browsers.context()) {
            loginAs(other.newPage(), "alice");
        }
        loginAs("sara");
        page.navigate(BASE + "/audit");
        choose("audit-filter-action", "LOGIN_SUCCESS");
        assertThat(page.locator("#audit-grid")).containsText("alice");
        assertThat(page.locator("#audit-grid")).containsText("sara");

        page.locator("#audit-verify").click();
        assertThat(page.locator("#audit-chain-status")).containsText("Chain intact");
        assertThat(page.locator("#audit-chain-status")).containsText("signed with chain key " + keys.current().id());
        // Row numbers are shown whole, and there is room for eight digits (the column's width does not follow them).
        assertThat(page.evaluate(ROW_NUMBERS_SHOWN_WHOLE)).isEqualTo("whole");
        screenshot("audit-log-sara");

        Download download = page.waitForDownload(() -> page.locator("#audit-export").click());
        String csv = java.nio.file.Files.readString(download.path());
        assertThat(csv).startsWith("seq,occurred_at,actor,action,target,details,prev_hash,hash,chain_key\r\n");
        assertThat(csv).contains("LOGIN_SUCCESS").contains("\"alice\"");
        assertThat(csv).doesNotContain("BU_CREATED");
    }

    /**
     * Rows cut off the chain's end (with its head) behind the newest row this node saw intact: the rows left all hold,
     * and security reads on the audit page that rows were removed. The test gives the node's witness a later row than
     * the chain's end, which is what the node holds after such a cut, and leaves the shared database alone.
     */
    @Test
    void rowsCutBehindTheNodesWitnessShowAsBroken() throws Exception {
        loginAs("sara");
        page.navigate(BASE + "/audit");
        page.locator("#audit-verify").click();
        assertThat(page.locator("#audit-chain-status")).containsText("Chain intact");
        String saw = java.nio.file.Files.readString(witness.file());
        long seen = Long.parseLong(saw.split(" ")[0]) + 1000;
        try {
            java.nio.file.Files.writeString(witness.file(), seen + " " + "a".repeat(64) + " 2026-12-06T08:00:00Z\n");
            page.locator("#audit-verify").click();
            assertThat(page.locator("#audit-chain-status")).containsText("Chain broken at row");
            assertThat(page.locator("#audit-chain-status")).containsText("but this node saw it intact up to row "
                    + seen + " on 2026-12-06T08:00:00Z (its witness file): rows were removed from its end");
            assertThat(page.locator("#audit-chain-status")).hasClass("portal-chain-broken");
            screenshot("audit-chain-cut");

            // A witness the portal did not write (edited, or cut short by a crash): the chain is walked, and the page
            // says it could not be verified, without the server's path.
            java.nio.file.Files.writeString(witness.file(), "edited by hand");
            page.locator("#audit-verify").click();
            assertThat(page.locator("#audit-chain-status")).containsText("Chain not verified: this node's audit chain "
                    + "witness (portal.audit.witness-file) cannot be read: its content is not a row the portal recorded");
            assertThat(page.locator("#audit-chain-status")).not().containsText(witness.file().toString());
            screenshot("audit-chain-unverified");
        } finally {
            java.nio.file.Files.writeString(witness.file(), saw);
        }
    }

    @Test
    void failedLoginsAndRefusalsAreAudited() {
        page.navigate(BASE + "/");
        page.locator("#username").fill("mike");
        page.locator("#password").fill("wrong");
        page.locator("button[type=submit]").click();
        assertThat(page.getByText("Invalid username or password.")).isVisible();
        try (BrowserContext other = Browsers.context()) {
            Page alice = loginAs(other.newPage(), "alice");
            alice.navigate(BASE + "/audit");
            assertThat(alice.locator("#access-denied")).isVisible();
        }
        loginAs("adam");
        page.navigate(BASE + "/audit");
        choose("audit-filter-action", "LOGIN_FAILURE");
        assertThat(page.locator("#audit-grid")).containsText("mike");
        page.locator("#audit-filter-actor input").fill("alice");
        choose("audit-filter-action", "ACCESS_DENIED");
        assertThat(page.locator("#audit-grid")).containsText("view /audit");
    }

    @Autowired
    JdbcTemplate jdbc;

    /** More rows match than the page lists: it says so above the grid, and lists the newest. */
    @Test
    void pastTheCapThePageSaysItListsTheNewestAndHowToReachTheRest() {
        String actor = "volume-" + UUID.randomUUID().toString().substring(0, 8);
        AuditVolume.appendLocked(jdbc, portal, AuditLog.MAX_LISTED + 1, actor, "VOLUME_TEST");
        long newest = jdbc.queryForObject("select max(seq) from audit_event where actor = ?", Long.class, actor);
        loginAs("sara");
        page.navigate(BASE + "/audit");
        // Narrowed to a single row: no note.
        page.locator("#audit-filter-actor input").fill(actor);
        page.locator("#audit-filter-target input").fill("request:0");
        page.waitForFunction("document.querySelector('#audit-grid').size === 1");
        assertThat(page.locator("#audit-more")).isHidden();
        // The actor's 10,001 rows: the note, and the newest of them on top.
        page.locator("#audit-filter-target input").fill("");
        // The grid scrolls through the newest 10,000, not the 10,001.
        page.waitForFunction("document.querySelector('#audit-grid').size === " + AuditLog.MAX_LISTED);
        assertThat(page.locator("#audit-more")).isVisible();
        assertThat(page.locator("#audit-more")).containsText("More than 10,000 rows match: the newest 10,000 are "
                + "listed");
        assertThat(page.locator("#audit-grid")).containsText(Long.toString(newest));
        screenshot("audit-more");
    }
}
