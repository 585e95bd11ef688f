package com.bedrockportal.shared;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import com.bedrockportal.businessunit.MembersChanged;
import com.bedrockportal.testsupport.E2ESupport;
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
        UUID failing = insert(redelivery.listenerIds().stream().filter(id -> id.contains("ApplicationMembers.on("))
                .findFirst().orElseThrow(), MembersChanged.class.getName(), "{not json");
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
            screenshot("incidents-events-sara");
        } finally {
            jdbc.update("delete from event_publication where id in (?, ?)", failing, retired);
        }
    }

    /** An unfinished event published ten minutes ago. */
    private UUID insert(String listener, String type, String body) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into event_publication (id, listener_id, event_type, serialized_event, publication_date) "
                + "values (?, ?, ?, ?, ?)", id, listener, type, body, Timestamp.from(Instant.now().minusSeconds(600)));
        return id;
    }

    private Locator cell(UUID event, String field) {
        return page.locator("#incidents-events-grid [data-event='" + event + "'][data-field='" + field + "']");
    }
}
