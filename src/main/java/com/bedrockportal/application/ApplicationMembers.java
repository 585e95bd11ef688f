package com.bedrockportal.application;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.businessunit.MembersChanged;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.notification.Notifier;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The members of an application besides its owner: the people who may get its 12-hour keys. A member is always a
 * member of the application's unit. The owner, the unit's managers and security add and remove members (the same
 * people who may hand the application over); each change is audited and the person is told. Someone who leaves the
 * unit leaves its applications' member lists with it, so a 12-hour key is never issued to a former member.
 */
@Service
public class ApplicationMembers {

    public static final String AUDIT_ADDED = "APPLICATION_MEMBER_ADDED";
    public static final String AUDIT_REMOVED = "APPLICATION_MEMBER_REMOVED";
    /** The field a refused addition names. */
    public static final String FIELD = "member";

    public record Member(String username, String addedBy, Instant addedAt) {
    }

    /**
     * An application's members as the current user sees them: who they are, whether the user may change the list,
     * and the unit's members who could be added.
     */
    public record Roster(List<Member> members, boolean mayChange, List<String> candidates, int max, String unit) {
    }

    private final JdbcClient jdbc;
    private final ApplicationOwners owners;
    private final BusinessUnitService units;
    private final CurrentUser currentUser;
    private final AuditLog audit;
    private final Notifier notifier;
    private final FormValidation texts;
    private final ApplicationProperties properties;
    private final Clock clock;

    ApplicationMembers(JdbcClient jdbc, ApplicationOwners owners,
            BusinessUnitService units, CurrentUser currentUser, AuditLog audit, Notifier notifier, FormValidation texts,
            ApplicationProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.owners = owners;
        this.units = units;
        this.currentUser = currentUser;
        this.audit = audit;
        this.notifier = notifier;
        this.texts = texts;
        this.properties = properties;
        this.clock = clock;
    }

    /** The application's members for the current user, who may see the application (the caller checked). */
    @PermitAll
    @Transactional(readOnly = true)
    public Roster roster(Application app) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        BusinessUnit unit = units.find(app.businessUnitId()).orElseThrow();
        List<Member> members = members(app.id());
        boolean may = app.status() == Application.Status.ACTIVE && ApplicationOwners.mayChange(me, app, unit);
        List<String> candidates = may ? unit.members().stream().sorted().filter(u -> !u.equals(app.owner()))
                .filter(u -> members.stream().noneMatch(m -> m.username().equals(u))).toList() : List.of();
        return new Roster(members, may, candidates, properties.maxMembers(), unit.displayName());
    }

    /** Whether the user is the application's owner or one of its listed members (and still in its unit). */
    @Transactional(readOnly = true)
    public boolean isMember(Application app, String username) {
        if (!units.find(app.businessUnitId()).map(u -> u.members().contains(username)).orElse(false)) {
            return false;
        }
        return app.owner().equals(username) || jdbc.sql("""
                select count(*) from application_member where application_id = :a and username = :u""")
                .param("a", app.id()).param("u", username).query(Integer.class).single() > 0;
    }

    /**
     * Adds a member of the application's unit to the application.
     *
     * @throws FieldErrors                  for the field {@value #FIELD}: not a member of the unit, the owner,
     *                                      already a member, or the list is full
     * @throws ApplicationOwners.Refused    when the user may not, or the application is not active
     */
    @RolesAllowed({ PortalRole.REQUESTER_ROLE, PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    @Transactional(noRollbackFor = { ApplicationOwners.Refused.class, FieldErrors.class }) // keeps the refusal's audit
    public Member add(long applicationId, String username) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        ApplicationOwners.Target t = prepare(me, applicationId, "add a member to");
        String who = username == null ? "" : username.strip();
        List<Member> members = members(applicationId);
        String problem = null;
        if (who.isEmpty()) {
            problem = texts.text("members.refused.empty");
        } else if (who.length() > 128 || !t.unit().members().contains(who)) {
            problem = texts.text("members.refused.notInUnit", t.unit().displayName());
        } else if (who.equals(t.app().owner())) {
            problem = texts.text("members.refused.owner");
        } else if (members.stream().anyMatch(m -> m.username().equals(who))) {
            problem = texts.text("members.refused.already", who);
        } else if (members.size() >= properties.maxMembers()) {
            problem = texts.text("members.refused.full", properties.maxMembers());
        }
        if (problem != null) {
            throw FieldErrors.of(FIELD, problem);
        }
        Instant now = clock.instant();
        jdbc.sql("""
                insert into application_member (application_id, username, added_by, added_at)
                values (:a, :u, :by, :at)""")
                .param("a", applicationId).param("u", who).param("by", me.username())
                .param("at", now.atOffset(ZoneOffset.UTC)).update();
        audit.record(me.username(), AUDIT_ADDED, target(applicationId), who + " added to " + t.app().displayName()
                + " (may get its 12-hour keys)");
        notifier.notify(List.of(who), texts.text("members.notify.added.title", t.app().displayName()),
                texts.text("members.notify.added.body", t.app().displayName(), me.username()),
                "applications/" + applicationId);
        return new Member(who, me.username(), now);
    }

    /**
     * Removes a member from the application. Removing someone who is not a member changes nothing and says so.
     *
     * @throws ApplicationOwners.Refused when the user may not, the application is not active, or no such member
     */
    @RolesAllowed({ PortalRole.REQUESTER_ROLE, PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    @Transactional(noRollbackFor = ApplicationOwners.Refused.class) // keeps the refusal's audit
    public void remove(long applicationId, String username) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        ApplicationOwners.Target t = prepare(me, applicationId, "remove a member from");
        if (username == null || username.isEmpty() || username.length() > 128) {
            // No username is that long (the add refuses it too): nothing to look up, nothing to echo back.
            throw new ApplicationOwners.Refused(texts.text("members.refused.notMember", "?"));
        }
        int removed = jdbc.sql("delete from application_member where application_id = :a and username = :u")
                .param("a", applicationId).param("u", username).update();
        if (removed == 0) {
            throw new ApplicationOwners.Refused(texts.text("members.refused.notMember", username));
        }
        audit.record(me.username(), AUDIT_REMOVED, target(applicationId), username + " removed from "
                + t.app().displayName());
        notifier.notify(List.of(username), texts.text("members.notify.removed.title", t.app().displayName()),
                texts.text("members.notify.removed.body", t.app().displayName(), me.username()),
                "applications/" + applicationId);
    }

    /**
     * People left a unit: they leave the member lists of its applications too. Runs after the admin's save, for those
     * still not members of the unit ({@link MembersChanged#stillGone}): a second delivery of the event takes nobody off
     * who came back and was added again meanwhile.
     */
    @ApplicationModuleListener
    public void on(MembersChanged change) {
        Set<String> gone = units.findLocked(change.businessUnitId()).map(change::stillGone).orElse(Set.of());
        if (gone.isEmpty()) {
            return;
        }
        record Listed(long applicationId, String application, String person) {
        }
        List<Listed> listed = jdbc.sql("""
                select m.application_id, a.display_name, m.username from application_member m
                join application a on a.id = m.application_id
                where a.business_unit_id = :unit and m.username in (:removed)""")
                .param("unit", change.businessUnitId()).param("removed", gone)
                .query((rs, i) -> new Listed(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
        for (Listed l : listed) {
            jdbc.sql("delete from application_member where application_id = :a and username = :u")
                    .param("a", l.applicationId()).param("u", l.person()).update();
            audit.record(change.by(), AUDIT_REMOVED, target(l.applicationId()), l.person() + " removed from "
                    + l.application() + ": no longer a member of the unit");
        }
    }

    private List<Member> members(long applicationId) {
        return jdbc.sql("""
                select username, added_by, added_at from application_member where application_id = :a
                order by username""").param("a", applicationId)
                .query((rs, i) -> new Member(rs.getString(1), rs.getString(2),
                        rs.getObject(3, java.time.OffsetDateTime.class).toInstant()))
                .list();
    }

    private ApplicationOwners.Target prepare(CurrentUser.Principal me, long applicationId, String what) {
        return owners.prepare(me, applicationId, what, "members.refused.notAllowed", "members.refused.notActive");
    }

    private static String target(long applicationId) {
        return "application:" + applicationId;
    }
}
