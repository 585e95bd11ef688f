package com.bedrockportal.shared;

import java.time.Instant;
import java.util.UUID;

import com.bedrockportal.businessunit.MembersChanged;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.microsoft.playwright.Locator;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * Security sees, on the Incidents page, an event whose listener has not finished: which listener, since when, how
 * often the portal has taken it up again and when last, and why it was not sent (it cannot be read back); and an event
 * of a listener that no longer exists, as such.
 */
class EventRedeliveryE2E extends E2ESupport {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventRedelivery redelivery;

    @Test
    void securitySeesAnUnfinishedEventHowOftenItWasTriedAndWhyItWasNotSent() {
        // An event stored in a form the member listener's event no longer fits, and one of a listener that is gone.
        UUID failing = insert(Fixtures.MEMBER_LISTENER, MembersChanged.class.getName(), "{not json");
        UUID retired = insert(EventRedeliveryIT.RETIRED_LISTENER, EventRedeliveryIT.Retired.class.getName(),
                "{\"note\":\"e2e\"}");
        try {
            loginAs("sara");
            page.navigate(BASE + "/incidents");
            assertThat(cell(failing, "attempts")).hasText("0");
            assertThat(cell(failing, "last")).hasText("");
            assertThat(page.locator("#incidents-events-grid")).containsText("ApplicationMembers.on(MembersChanged)");
            assertThat(page.locator("#incidents-events-grid")).containsText(
                    "RetiredListener.on(EventRedeliveryIT$Retired) — no such listener in this version: not sent");

            redelivery.redeliver();
            page.getByText("Reload").click();
            assertThat(cell(failing, "attempts")).hasText("1");
            assertThat(cell(failing, "last")).hasText(java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2} "
                    + "\\d{2}:\\d{2}:\\d{2}"));
            assertThat(cell(retired, "attempts")).hasText("0");
            assertThat(page.locator("#incidents-events-grid")).containsText("ApplicationMembers.on(MembersChanged) — "
                    + "cannot be read back by this version: not sent");
            assertThat(page.locator(".incidents-event-discard")).hasCount(0); // only admins discard
            screenshot("incidents-events-sara");
        } finally {
            jdbc.update("delete from event_publication where id in (?, ?)", failing, retired);
        }
    }

    /**
     * An admin discards the event of a listener that is gone: asked for a reason first (refused without one, next to
     * the field, nothing deleted), then it leaves the list, and the audit log says who and why. An event the portal can
     * still send has no such button.
     */
    @Test
    void anAdminDiscardsAnEventThatCannotBeSentWithAReason() {
        UUID retired = insert(EventRedeliveryIT.RETIRED_LISTENER, EventRedeliveryIT.Retired.class.getName(),
                "{\"note\":\"discard\"}");
        UUID sendable = insert(Fixtures.MEMBER_LISTENER, MembersChanged.class.getName(),
                "{\"businessUnitId\":-1,\"removed\":[\"nobody\"],\"added\":[],\"by\":\"adam\"}");
        try {
            loginAs("adam");
            page.navigate(BASE + "/incidents");
            assertThat(cell(retired, "attempts")).hasText("0");
            assertThat(cell(sendable, "attempts")).hasText("0");
            assertThat(discard(sendable)).hasCount(0);
            discard(retired).click();
            assertThat(page.locator("vaadin-dialog-overlay[opened]")).containsText(
                    "RetiredListener.on(EventRedeliveryIT$Retired) — no such listener in this version");
            page.locator("#incidents-discard-confirm").click();
            assertThat(page.locator("#incidents-discard-reason")).hasAttribute("invalid", "");
            assertThat(page.locator("#incidents-discard-reason")).containsText("Say why the event is discarded.");
            assertThat(cell(retired, "attempts")).hasCount(1);

            page.locator("#incidents-discard-reason textarea").fill("Listener renamed in 2.3; nothing to redo.");
            page.locator("#incidents-discard-confirm").click();
            assertThat(page.getByText("Event discarded: RetiredListener.on(EventRedeliveryIT$Retired).")).isVisible();
            assertThat(cell(retired, "attempts")).hasCount(0);
            // One row fewer: the grid keeps the row it no longer needs, hidden, with what it showed last.
            assertThat(cell(sendable, "attempts").locator("visible=true")).hasText("0");
            org.assertj.core.api.Assertions.assertThat(jdbc.queryForObject("select count(*) from event_publication "
                    + "where id = ?", Integer.class, retired)).isZero();
            page.navigate(BASE + "/audit");
            page.locator("#audit-filter-target input").fill("event:" + retired);
            assertThat(page.locator("#audit-grid")).containsText("EVENT_DISCARDED");
            assertThat(page.locator("#audit-grid")).containsText("reason: Listener renamed in 2.3; nothing to redo.");
        } finally {
            jdbc.update("delete from event_publication where id in (?, ?)", retired, sendable);
        }
    }

    private Locator discard(UUID event) {
        return page.locator(".incidents-event-discard[data-event='" + event + "']");
    }

    /** An unfinished event published ten minutes ago. */
    private UUID insert(String listener, String type, String body) {
        return Fixtures.unfinishedEvent(jdbc, listener, type, body, Instant.now().minusSeconds(600));
    }

    private Locator cell(UUID event, String field) {
        return page.locator("#incidents-events-grid [data-event='" + event + "'][data-field='" + field + "']");
    }
}
