package com.bedrockportal.request;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.audit.AuditEntry;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A request's {@link Standing} and the key events of its timeline, read from what is stored anyway (the key record,
 * the audit log, the engine's incidents) instead of a second status kept beside them. Callers have already checked
 * that the user may see the request ({@link RequestService#find}).
 */
@Service
public class Standings {

    /** A key status change recorded by the key record and by an audit or timeline row within this is one event. */
    private static final Duration SAME_EVENT = Duration.ofSeconds(10);
    private static final String ROTATION = "rotation";

    private final ApiKeys keys;
    private final AuditLog audit;
    private final org.springframework.beans.factory.ObjectProvider<ProvisioningDelays> delays;
    private final Clock clock;

    /**
     * Without a module that knows about incidents (the request module's own tests), nothing is delayed.
     */
    Standings(ApiKeys keys, AuditLog audit, org.springframework.beans.factory.ObjectProvider<ProvisioningDelays> delays,
            Clock clock) {
        this.keys = keys;
        this.audit = audit;
        this.delays = delays;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public Standing of(AccessRequest r) {
        RequestStatus status = r.status();
        boolean inProvisioning = status == RequestStatus.APPROVED || status == RequestStatus.PROVISIONING;
        if (inProvisioning && delays.getIfAvailable(() -> requestId -> false).delayed(r.id())) {
            return new Standing("DELAYED", Standing.Tone.WARNING);
        }
        if (status != RequestStatus.PROVISIONED) {
            return new Standing(status.name(), switch (status) {
                case APPROVED -> Standing.Tone.SUCCESS;
                case REJECTED, EXPIRED, PROVISIONING_FAILED -> Standing.Tone.ERROR;
                case WITHDRAWN -> Standing.Tone.CONTRAST;
                default -> Standing.Tone.NEUTRAL;
            });
        }
        if (r.shortTermOnly()) {
            // 12-hour keys: no key of its own; its members get keys on the application page.
            return new Standing(r.isChange() ? "CHANGED" : "SHORT_TERM_READY", Standing.Tone.SUCCESS);
        }
        if (r.isChange() && !r.newKey()) {
            return new Standing("CHANGED", Standing.Tone.SUCCESS);
        }
        return keys.forRequest(r.id()).map(this::ofKey)
                .orElse(new Standing(RequestStatus.PROVISIONED.name(), Standing.Tone.SUCCESS));
    }

    private Standing ofKey(ApiKey k) {
        Standing s = labelOf(k);
        return new Standing(s.code(), s.tone(), s.revealable(), k.id(), k.revealedAt());
    }

    private Standing labelOf(ApiKey k) {
        Instant now = clock.instant();
        boolean expired = k.expiresAt() != null && !now.isBefore(k.expiresAt());
        return switch (k.status()) {
            case PENDING_REVEAL -> expired ? new Standing("KEY_EXPIRED", Standing.Tone.CONTRAST)
                    : new Standing(RequestStatus.PROVISIONED.name(), Standing.Tone.SUCCESS,
                            k.revealDeadline() == null || now.isBefore(k.revealDeadline()), null, null);
            case ACTIVE -> expired ? new Standing("KEY_EXPIRED", Standing.Tone.CONTRAST)
                    : new Standing("KEY_ACTIVE", Standing.Tone.SUCCESS);
            case INACTIVE -> ROTATION.equals(k.statusChangedBy())
                    ? new Standing("KEY_ROTATED", Standing.Tone.CONTRAST)
                    : new Standing("KEY_DISABLED", Standing.Tone.ERROR);
            case DELETED -> ROTATION.equals(k.statusChangedBy())
                    ? new Standing("KEY_ROTATED", Standing.Tone.CONTRAST)
                    : expiredBefore(k) ? new Standing("KEY_EXPIRED", Standing.Tone.CONTRAST)
                            : new Standing("KEY_DELETED", Standing.Tone.CONTRAST);
            case REVOKED -> new Standing("KEY_REVOKED", Standing.Tone.ERROR);
        };
    }

    /** The request's timeline with its key's life merged in: revealed, disabled, re-enabled, revoked, rotated, expired. */
    @Transactional(readOnly = true)
    public List<TimelineEntry> timeline(AccessRequest r, List<TimelineEntry> ofRequest) {
        Optional<ApiKey> key = keys.forRequest(r.id());
        if (key.isEmpty()) {
            return ofRequest;
        }
        ApiKey k = key.get();
        List<TimelineEntry> all = new ArrayList<>(ofRequest);
        if (k.revealedAt() != null) {
            all.add(new TimelineEntry(k.revealedAt(), k.revealedBy(), "KEY_REVEALED", null));
        }
        for (AuditEntry e : audit.timeline("key:" + k.id(), "KEY_", 200)) {
            String type = switch (e.action()) {
                case "KEY_DISABLED", "KEY_REENABLED", "KEY_REVOKED" -> e.action();
                case "KEY_DELETED_EXPIRED" -> "KEY_DELETED";
                default -> null;
            };
            if (type != null) {
                all.add(new TimelineEntry(e.occurredAt(), e.actor(), type, reasonIn(e.details())));
            }
        }
        Instant now = clock.instant();
        if (k.statusChangedAt() != null && all.stream().noneMatch(e -> e.type().startsWith("KEY_")
                && !e.type().equals("KEY_REVEALED") && near(e.at(), k.statusChangedAt()))) {
            String type = ROTATION.equals(k.statusChangedBy()) ? "KEY_ROTATED" : switch (k.status()) {
                case INACTIVE -> "KEY_DISABLED";
                case ACTIVE -> "KEY_REENABLED";
                case REVOKED -> "KEY_REVOKED";
                default -> "KEY_DELETED";
            };
            all.add(new TimelineEntry(k.statusChangedAt(), k.statusChangedBy(), type, k.statusReason()));
        }
        if (k.expiresAt() != null && !now.isBefore(k.expiresAt()) && (k.status().live()
                || k.statusChangedAt() == null || !k.statusChangedAt().isBefore(k.expiresAt()))) {
            all.add(new TimelineEntry(k.expiresAt(), "AWS", "KEY_EXPIRED", null));
        }
        all.sort(Comparator.comparing(TimelineEntry::at));
        return all;
    }

    private static boolean expiredBefore(ApiKey k) {
        return k.expiresAt() != null && k.statusChangedAt() != null && !k.statusChangedAt().isBefore(k.expiresAt());
    }

    private static boolean near(Instant a, Instant b) {
        return Duration.between(a, b).abs().compareTo(SAME_EVENT) <= 0;
    }

    /** The person's reason from an audit row's details ("…, reason: …"); the rest is for engineers. */
    private static String reasonIn(String details) {
        int at = details == null ? -1 : details.lastIndexOf("reason: ");
        return at < 0 ? null : details.substring(at + "reason: ".length());
    }
}
