package com.bedrockportal.shared;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import com.bedrockportal.testsupport.E2ESupport;
import com.microsoft.playwright.Locator;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * Security sees, on the Incidents page, an event whose listener has not finished: which listener, since when, how
 * often the portal has sent it again and when last.
 */
class EventRedeliveryE2E extends E2ESupport {

    private static final String GRID = "incidents-events-grid";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventRedelivery redelivery;

    @Test
    void securitySeesAnUnfinishedEventAndHowOftenItWasSentAgain() {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into event_publication (id, listener_id, event_type, serialized_event, publication_date) "
                + "values (?, ?, ?, ?, ?)", id, EventRedeliveryIT.RETIRED_LISTENER,
                EventRedeliveryIT.Retired.class.getName(), "{\"note\":\"e2e\"}",
                Timestamp.from(Instant.now().minusSeconds(600)));
        try {
            loginAs("sara");
            page.navigate(BASE + "/incidents");
            assertThat(visibleCells(GRID, "RetiredListener.on(EventRedeliveryIT$Retired)")).hasCount(1);
            assertThat(exactly("0")).hasCount(1);
            assertThat(exactly("1")).hasCount(0);

            redelivery.redeliver();
            page.getByText("Reload").click();
            assertThat(exactly("1")).hasCount(1);
            assertThat(exactly("0")).hasCount(0);
            // Its first publication and its last sending: two times in the row now.
            assertThat(cells().filter(new Locator.FilterOptions()
                    .setHasText(java.util.regex.Pattern.compile("\\d{1,2}:\\d{2}")))).hasCount(2);
            screenshot("incidents-events-sara");
        } finally {
            jdbc.update("delete from event_publication where id = ?", id);
        }
    }

    /** The visible cells of the events' grid whose whole text is this number (a JavaScript pattern: no quoting). */
    private Locator exactly(String text) {
        return cells().filter(new Locator.FilterOptions().setHasText(
                java.util.regex.Pattern.compile("^\\s*" + text + "\\s*$")));
    }

    private Locator cells() {
        return page.locator("#" + GRID + " vaadin-grid-cell-content").filter(new Locator.FilterOptions()
                .setVisible(true));
    }
}
