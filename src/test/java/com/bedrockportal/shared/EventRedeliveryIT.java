package com.bedrockportal.shared;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.bedrockportal.application.ApplicationMembers;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitDraft;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.businessunit.MembersChanged;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Events whose listener failed are sent again while the node runs, once they are {@code portal.events.redeliver-after}
 * old (5 minutes here), and not again before that time has passed once more; at most {@code max-per-run} (100) per
 * look, the oldest first; each sending counted, and listed for security and admins; an event of a listener that no
 * longer exists is listed, not sent. Until 7 December an event whose listener failed waited for the next start of a
 * node. The test contexts do not look by themselves ({@code PostgresSupport.NO_SCHEDULED_REDELIVERY}).
 */
class EventRedeliveryIT extends PostgresSupport {

    /** The event of a listener that no longer exists (as after an upgrade that renamed it): it never finishes. */
    record Retired(String note) {
    }

    static final String RETIRED_LISTENER = "com.bedrockportal.shared.RetiredListener.on("
            + Retired.class.getName() + ")";

    @Autowired
    EventRedelivery redelivery;
    @Autowired
    ApplicationMembers members;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aMemberRemovalWhoseListenerFailedIsDoneByTheRunningNodeOnceDue() {
        BusinessUnit unit = Fixtures.unit(units, "er", Set.of("mike"), Set.of("alice", "carol"));
        long app = Fixtures.application(jdbc, unit, "redelivery-app");
        RunAs.user("alice", () -> members.add(app, "carol"), "REQUESTER");
        jdbc.execute("create sequence if not exists redelivery_probe");
        long before = probe();
        // The database refuses to take anyone off this application's list, as a lock wait that ran out would.
        jdbc.execute("""
                create or replace function refuse_member_delete() returns trigger language plpgsql as $$
                begin perform nextval('redelivery_probe'); raise exception 'the member list is held by the test'; end $$
                """);
        jdbc.execute("create trigger refuse_member_delete before delete on application_member for each row when "
                + "(old.application_id = " + app + ") execute function refuse_member_delete()");
        UUID publication;
        try {
            BusinessUnitDraft d = BusinessUnitDraft.of(units.find(unit.id()).orElseThrow());
            d.setMembers(Set.of("alice"));
            RunAs.user("adam", () -> units.update(d), "ADMIN");
            Awaitility.await("the listener tried and failed").atMost(Duration.ofSeconds(30))
                    .until(() -> probe() > before);
            publication = jdbc.queryForObject("select id from event_publication where completion_date is null and "
                    + "listener_id like '%ApplicationMembers.on%' and serialized_event like ?", UUID.class,
                    "%\"businessUnitId\":" + unit.id() + ",%");
        } finally {
            jdbc.execute("drop trigger if exists refuse_member_delete on application_member");
            jdbc.execute("drop function if exists refuse_member_delete()");
            jdbc.execute("drop sequence if exists redelivery_probe");
        }
        assertThat(listed(app)).containsExactly("carol");

        // Not due yet: a look leaves it alone.
        redelivery.redeliver();
        assertThat(attempts(publication)).isZero();
        assertThat(listed(app)).containsExactly("carol");

        // Five minutes later, with no restart: sent again, and carol leaves the list.
        age(publication);
        assertThat(redelivery.redeliver()).isGreaterThanOrEqualTo(1);
        Awaitility.await("carol off the application's list").atMost(Duration.ofSeconds(30))
                .until(() -> listed(app).isEmpty());
        Awaitility.await("the event finished").atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from event_publication where id = ?", Integer.class, publication) == 0);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = ? and target = ? and actor = "
                + "'adam' and details like '%no longer a member of the unit'", Integer.class,
                ApplicationMembers.AUDIT_REMOVED, "application:" + app)).isEqualTo(1);
        // The next look forgets what it had counted of a finished event.
        redelivery.redeliver();
        assertThat(jdbc.queryForObject("select count(*) from event_redelivery where id = ?", Integer.class,
                publication)).isZero();
    }

    @Test
    void unfinishedEventsAreTakenUpOncePerPeriodTheOldestHundredFirstAndListed() {
        // 101 events the member listener's event type cannot be read from (stored by an earlier version, say),
        // published long before anything else in the database; one it can read among them; and one of a listener
        // that no longer exists.
        Instant base = Instant.parse("2000-01-01T00:00:00Z");
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            ids.add(insert(memberListener(), MembersChanged.class.getName(), "{not json " + i, base.plusSeconds(i)));
        }
        UUID readable = insert(memberListener(), MembersChanged.class.getName(),
                "{\"businessUnitId\":-1,\"removed\":[\"nobody\"],\"added\":[],\"by\":\"adam\"}",
                base.plusMillis(50_500));
        UUID retired = insert(RETIRED_LISTENER, Retired.class.getName(), "{\"note\":\"gone\"}", base.minusSeconds(1));
        try {
            // One look takes up the oldest 100 (99 unreadable ones and the readable one, which is sent and finishes:
            // the unreadable ones before it do not stop it); the next the last two; a third, at once, none again.
            assertThat(redelivery.redeliver()).isEqualTo(100);
            Awaitility.await("the readable event finished").atMost(Duration.ofSeconds(30)).until(() -> jdbc
                    .queryForObject("select count(*) from event_publication where id = ?", Integer.class, readable) == 0);
            assertThat(ids.subList(0, 99)).allMatch(id -> attempts(id) == 1);
            assertThat(attempts(ids.get(99))).isZero();
            assertThat(attempts(ids.get(100))).isZero();
            redelivery.redeliver();
            assertThat(ids).allMatch(id -> attempts(id) == 1);
            redelivery.redeliver();
            assertThat(ids).allMatch(id -> attempts(id) == 1);
            assertThat(ids).as("still unfinished").allMatch(id -> jdbc.queryForObject(
                    "select count(*) from event_publication where id = ? and completion_date is null", Integer.class,
                    id) == 1);

            // Listed oldest first by when they were published, not when last taken up; counted in full. The retired
            // listener's event, the oldest, is listed as such and was never taken up.
            List<EventRedelivery.Waiting> waiting = RunAs.user("sara", redelivery::waiting, "SECURITY");
            assertThatThrownBy(() -> RunAs.user("alice", redelivery::waiting, "REQUESTER"))
                    .isInstanceOf(AccessDeniedException.class);
            assertThat(waiting).hasSize(EventRedelivery.MAX_LISTED);
            assertThat(waiting.get(0).id()).isEqualTo(retired);
            assertThat(waiting.get(0).listener()).isEqualTo("RetiredListener.on(EventRedeliveryIT$Retired)");
            assertThat(waiting.get(0).listenerExists()).isFalse();
            assertThat(waiting.get(0).attempts()).isZero();
            assertThat(waiting.get(1).id()).isEqualTo(ids.get(0));
            assertThat(waiting.get(1).publishedAt()).isEqualTo(base);
            assertThat(waiting.get(1).listener()).isEqualTo("ApplicationMembers.on(MembersChanged)");
            assertThat(waiting.get(1).listenerExists()).isTrue();
            assertThat(waiting.get(1).unreadable()).isTrue();
            assertThat(waiting.get(1).attempts()).isEqualTo(1);
            assertThat(waiting.get(1).lastSentAt()).isAfter(Instant.now().minusSeconds(60));
            assertThat(redelivery.countWaiting()).isGreaterThanOrEqualTo(102);

            // Once redeliver-after has passed again, they are taken up again (the oldest hundred first).
            for (int i = 0; i <= 100; i++) {
                jdbc.update("update event_publication set publication_date = ? where id = ?",
                        Timestamp.from(base.plusSeconds(i)), ids.get(i));
            }
            assertThat(redelivery.redeliver()).isEqualTo(100);
            assertThat(ids.subList(0, 100)).allMatch(id -> attempts(id) == 2);
            assertThat(attempts(retired)).isZero();
        } finally {
            ids.add(readable);
            ids.add(retired);
            ids.forEach(id -> jdbc.update("delete from event_publication where id = ?", id));
            ids.forEach(id -> jdbc.update("delete from event_redelivery where id = ?", id));
        }
    }

    /**
     * Spring Modulith warned once per unfinished event whose class is gone, at every look that sent something (10,000
     * lines a minute with 10,000 such events, {@code EventLookBenchmark}); the portal says it once a look.
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void eventsWhoseClassIsGoneAreSaidOnceALookNotOnceEach(CapturedOutput output) {
        // Older than every other test's events, so this look takes these first.
        Instant base = Instant.parse("1999-01-01T00:00:00Z");
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(insert(RETIRED_LISTENER, "com.bedrockportal.gone.Event", "{\"note\":" + i + "}",
                    base.plusSeconds(i)));
        }
        // Three of the member listener (taken up and counted by the portal), whose class is gone too.
        List<UUID> gone = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            gone.add(insert(memberListener(), "com.bedrockportal.gone.MembersChanged", "{}", base.plusSeconds(30 + i)));
        }
        UUID readable = insert(memberListener(), MembersChanged.class.getName(),
                "{\"businessUnitId\":-1,\"removed\":[\"nobody\"],\"added\":[],\"by\":\"adam\"}",
                base.plusSeconds(40));
        ids.addAll(gone);
        ids.add(readable);
        try {
            int before = output.getAll().length();
            redelivery.redeliver();
            Awaitility.await("the readable event finished").atMost(Duration.ofSeconds(30)).until(() -> jdbc
                    .queryForObject("select count(*) from event_publication where id = ?", Integer.class, readable) == 0);
            String look = output.getAll().substring(before);
            assertThat(look).doesNotContain("of unknown type");
            assertThat(look).containsOnlyOnce("unfinished event(s) cannot be read back")
                    .contains("3 unfinished event(s) cannot be read back");
            assertThat(gone).allMatch(id -> attempts(id) == 1);
        } finally {
            ids.forEach(id -> jdbc.update("delete from event_publication where id = ?", id));
            ids.forEach(id -> jdbc.update("delete from event_redelivery where id = ?", id));
        }
    }

    private UUID insert(String listener, String type, String body, Instant published) {
        return Fixtures.unfinishedEvent(jdbc, listener, type, body, published);
    }

    /** The member listener's id, as Spring Modulith stores it (and as the other tests' fixture writes it). */
    private String memberListener() {
        assertThat(redelivery.listenerIds()).contains(Fixtures.MEMBER_LISTENER);
        return Fixtures.MEMBER_LISTENER;
    }

    private long probe() {
        return jdbc.queryForObject("select case when is_called then last_value else 0 end from redelivery_probe",
                Long.class);
    }

    private List<String> listed(long app) {
        return jdbc.queryForList("select username from application_member where application_id = ?", String.class,
                app);
    }

    private int attempts(UUID publication) {
        return jdbc.queryForList("select attempts from event_redelivery where id = ?", Integer.class, publication)
                .stream().findFirst().orElse(0);
    }

    /** As if redeliver-after (5 minutes) had passed since it was published or last sent. */
    private void age(UUID publication) {
        jdbc.update("update event_publication set publication_date = publication_date - interval '6 minutes' "
                + "where id = ?", publication);
    }
}
