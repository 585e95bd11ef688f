package com.bedrockportal.application;

import java.time.Duration;
import java.util.Set;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitDraft;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Members of an application on PostgreSQL: the owner adds a member of the unit (audited, the member told); a person
 * outside the unit, the owner, a duplicate and a full list are refused next to the field with nothing written; a
 * plain member and another unit's requester may not change the list; someone who leaves the unit leaves the list.
 */
class ApplicationMembersIT extends PostgresSupport {

    @Autowired
    ApplicationMembers members;
    @Autowired
    ApplicationService applications;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theOwnerAddsAMemberOfTheUnitWhoLeavesTheListWhenLeavingTheUnit() {
        BusinessUnit unit = Fixtures.unit(units, "am", Set.of("mike"), Set.of("alice", "carol"));
        long id = Fixtures.application(jdbc, unit, "members-app");
        Application app = applications.load(id);
        assertThat(members.isMember(app, "alice")).isTrue();
        assertThat(members.isMember(app, "carol")).isFalse();

        ApplicationMembers.Member added = RunAs.user("alice", () -> members.add(id, "carol"), "REQUESTER");
        assertThat(added.addedBy()).isEqualTo("alice");
        assertThat(members.isMember(app, "carol")).isTrue();
        assertThat(audits(id, ApplicationMembers.AUDIT_ADDED, "alice")).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'carol' and link = ?",
                Integer.class, "applications/" + id)).isEqualTo(1);
        ApplicationMembers.Roster roster = RunAs.user("alice", () -> members.roster(app), "REQUESTER");
        assertThat(roster.members()).extracting(ApplicationMembers.Member::username).containsExactly("carol");
        assertThat(roster.mayChange()).isTrue();
        assertThat(roster.candidates()).isEmpty();

        assertThat(refusal("alice", id, "bob")).contains("Only members of");
        assertThat(refusal("alice", id, "alice")).contains("The owner may get keys already");
        assertThat(refusal("alice", id, "carol")).contains("carol is a member already");
        assertThat(refusal("alice", id, "  ")).contains("Choose a member of the unit");
        // A member who is not the owner, and a requester of another unit, may not change the list.
        assertThatThrownBy(() -> RunAs.user("carol", () -> members.remove(id, "carol"), "REQUESTER"))
                .isInstanceOf(ApplicationOwners.Refused.class);
        assertThatThrownBy(() -> RunAs.user("bob", () -> members.add(id, "bob"), "REQUESTER"))
                .isInstanceOf(ApplicationOwners.Refused.class);
        assertThatThrownBy(() -> RunAs.user("adam", () -> members.add(id, "carol"), "ADMIN"))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(RunAs.user("carol", () -> members.roster(app), "REQUESTER").mayChange()).isFalse();
        assertThat(count(id)).isEqualTo(1);

        // carol leaves the unit: she leaves the application's list with it (and is no member, even if listed).
        BusinessUnitDraft d = BusinessUnitDraft.of(units.find(unit.id()).orElseThrow());
        d.setMembers(Set.of("alice"));
        RunAs.user("adam", () -> units.update(d), "ADMIN");
        assertThat(members.isMember(app, "carol")).isFalse();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count(id) == 0);
        assertThat(audits(id, ApplicationMembers.AUDIT_REMOVED, "adam")).isEqualTo(1);
    }

    @Test
    void aFullListRefusesTheNextMemberBeforeWritingAndTheManagerRemovesOne() {
        BusinessUnit unit = Fixtures.unit(units, "am", Set.of("mike"), Set.of("alice", "carol", "dave"));
        long id = Fixtures.application(jdbc, unit, "full-app");
        RunAs.user("mike", () -> members.add(id, "dave"), "MANAGER");
        for (int i = 1; i < 25; i++) {
            jdbc.update("insert into application_member (application_id, username, added_by, added_at) "
                    + "values (?, ?, 'test', now())", id, "filler-" + i);
        }
        assertThat(refusal("alice", id, "carol")).contains("at most 25 members");
        assertThat(count(id)).isEqualTo(25);

        RunAs.user("mike", () -> {
            members.remove(id, "dave");
            return null;
        }, "MANAGER");
        assertThat(count(id)).isEqualTo(24);
        assertThat(audits(id, ApplicationMembers.AUDIT_REMOVED, "mike")).isEqualTo(1);
        assertThatThrownBy(() -> RunAs.user("mike", () -> {
            members.remove(id, "dave");
            return null;
        }, "MANAGER")).isInstanceOf(ApplicationOwners.Refused.class).hasMessageContaining("not a member");
        // A name longer than any username is refused without a look-up, and not echoed back.
        String huge = "x".repeat(10_000);
        assertThatThrownBy(() -> RunAs.user("mike", () -> {
            members.remove(id, huge);
            return null;
        }, "MANAGER")).isInstanceOf(ApplicationOwners.Refused.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300).contains("not a member"));
        RunAs.user("alice", () -> members.add(id, "carol"), "REQUESTER");
        assertThat(count(id)).isEqualTo(25);
    }

    private String refusal(String user, long id, String who) {
        try {
            RunAs.user(user, () -> members.add(id, who), "REQUESTER");
        } catch (FieldErrors e) {
            return e.errors().get(ApplicationMembers.FIELD);
        }
        throw new AssertionError("adding " + who + " was not refused");
    }

    private int count(long id) {
        return jdbc.queryForObject("select count(*) from application_member where application_id = ?",
                Integer.class, id);
    }

    private int audits(long id, String action, String actor) {
        return jdbc.queryForObject("select count(*) from audit_event where action = ? and target = ? and actor = ?",
                Integer.class, action, "application:" + id, actor);
    }
}
