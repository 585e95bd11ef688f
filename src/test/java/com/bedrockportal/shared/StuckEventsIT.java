package com.bedrockportal.shared;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.bedrockportal.businessunit.MembersChanged;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.StuckEvents;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An admin discards an unfinished event that can never be handled — its listener is not in this version, or this
 * version cannot read it back — with a reason, recorded in the audit log; nobody else can, and an event that can still
 * be handled, or has finished, is not discarded. Until 7 December such an event stayed listed for good.
 */
class StuckEventsIT extends PostgresSupport {

    /** What the retired event carries: never in the audit log. */
    static final String CONTENT = "payload-7f3a9c";

    @Autowired
    StuckEvents stuck;
    @Autowired
    EventRedelivery redelivery;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void anAdminDiscardsAnEventThatCannotBeHandledWithAReasonInTheAuditLogAndNothingElse() {
        String members = Fixtures.MEMBER_LISTENER;
        UUID retired = insert(EventRedeliveryIT.RETIRED_LISTENER, EventRedeliveryIT.Retired.class.getName(),
                "{\"note\":\"" + CONTENT + "\"}");
        UUID unreadable = insert(members, MembersChanged.class.getName(), "{not json");
        UUID readable = null;
        try {
            redelivery.redeliver(); // dates and counts the unreadable one (it is not sent)
            readable = insert(members, MembersChanged.class.getName(),
                    "{\"businessUnitId\":-1,\"removed\":[\"nobody\"],\"added\":[],\"by\":\"adam\"}");
            assertThatThrownBy(() -> RunAs.user("sara", () -> stuck.discard(retired, "Renamed in 2.3."), "SECURITY"))
                    .isInstanceOf(AccessDeniedException.class);
            assertThatThrownBy(() -> new TransactionTemplate(transactionManager).executeWithoutResult(
                    t -> RunAs.user("sara", () -> redelivery.discard(retired), "SECURITY")))
                    .isInstanceOf(AccessDeniedException.class);
            assertThat(reason(retired, " ")).isEqualTo("Say why the event is discarded.");
            assertThat(reason(retired, "x".repeat(StuckEvents.MAX_REASON + 1))).isEqualTo("At most 500 characters.");
            assertThat(stored(retired)).as("refused: nothing deleted").isTrue();

            EventRedelivery.Waiting gone = RunAs.user("adam",
                    () -> stuck.discard(retired, " Listener renamed in 2.3; nothing to redo. "), "ADMIN");
            assertThat(gone.listener()).isEqualTo("RetiredListener.on(EventRedeliveryIT$Retired)");
            assertThat(stored(retired)).isFalse();
            Map<String, Object> row = audit(retired);
            assertThat(row.get("actor")).isEqualTo("adam");
            assertThat((String) row.get("details")).contains("listener=RetiredListener.on(EventRedeliveryIT$Retired)",
                    "no such listener", "sent-again=0", "reason: Listener renamed in 2.3; nothing to redo.")
                    .doesNotContain(CONTENT);

            RunAs.user("adam", () -> stuck.discard(unreadable, "Stored by 2.1 in a form 2.2 cannot read."), "ADMIN");
            assertThat(stored(unreadable)).isFalse();
            assertThat(jdbc.queryForObject("select count(*) from event_redelivery where id = ?", Integer.class,
                    unreadable)).isZero();
            assertThat((String) audit(unreadable).get("details")).contains("cannot be read back", "sent-again=1");

            // Once gone, or while it can still be handled, nothing is discarded and nothing recorded.
            assertThat(form(unreadable)).contains("nothing was discarded");
            assertThat(form(readable)).contains("nothing was discarded");
            assertThat(stored(readable)).isTrue();
            assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'EVENT_DISCARDED' and "
                    + "target in (?, ?, ?)", Integer.class, "event:" + retired, "event:" + unreadable,
                    "event:" + readable)).isEqualTo(2);
        } finally {
            for (UUID id : java.util.Arrays.asList(retired, unreadable, readable)) {
                jdbc.update("delete from event_publication where id = ?", id);
                jdbc.update("delete from event_redelivery where id = ?", id);
            }
        }
    }

    private String reason(UUID event, String reason) {
        try {
            RunAs.user("adam", () -> stuck.discard(event, reason), "ADMIN");
            throw new AssertionError("discarded with reason '" + reason + "'");
        } catch (FieldErrors e) {
            return e.errors().get("reason");
        }
    }

    private String form(UUID event) {
        try {
            RunAs.user("adam", () -> stuck.discard(event, "Tidying up."), "ADMIN");
            throw new AssertionError("discarded " + event);
        } catch (FieldErrors e) {
            return e.errors().get("form");
        }
    }

    private boolean stored(UUID event) {
        return jdbc.queryForObject("select count(*) from event_publication where id = ?", Integer.class, event) == 1;
    }

    private Map<String, Object> audit(UUID event) {
        return jdbc.queryForMap("select actor, details from audit_event where action = 'EVENT_DISCARDED' and "
                + "target = ?", "event:" + event);
    }

    /** An unfinished event published ten minutes ago (due for a look). */
    private UUID insert(String listener, String type, String body) {
        return Fixtures.unfinishedEvent(jdbc, listener, type, body, Instant.now().minusSeconds(600));
    }
}
