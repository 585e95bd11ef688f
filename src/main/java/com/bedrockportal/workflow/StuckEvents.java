package com.bedrockportal.workflow;

import java.util.UUID;

import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.shared.EventRedelivery;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import jakarta.annotation.security.RolesAllowed;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An admin discards an unfinished event that can never be handled (its listener is not in this version, or this
 * version cannot read it back: the Incidents page lists both as "not sent"), with a reason, in the audit log. Until
 * then such an event stays listed, and counted by the waiting-events gauge, for good.
 */
@Service
public class StuckEvents {

    /** The longest reason, in characters. */
    public static final int MAX_REASON = 500;
    static final String AUDIT_DISCARDED = "EVENT_DISCARDED";

    private final EventRedelivery redelivery;
    private final CurrentUser currentUser;
    private final AuditLog audit;
    private final FormValidation texts;

    StuckEvents(EventRedelivery redelivery, CurrentUser currentUser, AuditLog audit, FormValidation texts) {
        this.redelivery = redelivery;
        this.currentUser = currentUser;
        this.audit = audit;
        this.texts = texts;
    }

    /**
     * Deletes the event and records who did it, why, and which event it was (listener, first publication, times sent
     * again; never its content).
     *
     * @throws FieldErrors {@code reason} missing or too long; {@code form} when the event has finished, is gone, or
     *                     can still be handled (nothing deleted)
     */
    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public EventRedelivery.Waiting discard(UUID eventId, String reason) {
        String me = currentUser.get().orElseThrow().username();
        String text = reason == null ? "" : reason.strip();
        if (text.isEmpty()) {
            throw FieldErrors.of("reason", texts.text("incidents.events.discard.reason.required"));
        }
        if (text.length() > MAX_REASON) {
            throw FieldErrors.of("reason", texts.text("incidents.events.discard.reason.long", MAX_REASON));
        }
        EventRedelivery.Waiting gone = redelivery.discard(eventId)
                .orElseThrow(() -> FieldErrors.of("form", texts.text("incidents.events.discard.notStuck")));
        audit.record(me, AUDIT_DISCARDED, "event:" + eventId, "listener=" + gone.listener() + "; "
                + (gone.listenerExists() ? "cannot be read back" : "no such listener") + "; published="
                + gone.publishedAt() + "; sent-again=" + gone.attempts() + "; reason: " + text);
        return gone;
    }
}
