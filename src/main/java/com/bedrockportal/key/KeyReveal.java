package com.bedrockportal.key;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.Reauthentication;
import com.bedrockportal.identity.SecurityEvents;
import com.bedrockportal.key.internal.SecretSealer;

import jakarta.annotation.security.PermitAll;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one-time reveal. Only the requester, only after logging in again, and only once: the sealed bytes are deleted
 * by a conditional update ({@code ... where revealed_at is null}) in the transaction that reads them, so of
 * concurrent attempts exactly one gets the key.
 */
@Service
public class KeyReveal {

    /** What the reveal page shows. */
    public sealed interface Result permits Revealed, AlreadyRevealed, NotAvailable, LoginAgain, LoginNotConfirmed {
    }

    /** The key, this once. Overwrite {@code key} when done with it. */
    public record Revealed(char[] key, ApiKey meta, String region, String exampleModel) implements Result {
    }

    /** Revealed (or, {@code delivered}, handed over to its application's Secrets Manager copy) at, by. */
    public record AlreadyRevealed(Instant at, String by, boolean delivered) implements Result {
    }

    public record NotAvailable(String reason) implements Result {
    }

    /** The user must log in again first; {@code url} sends them through the IdP and back. */
    public record LoginAgain(String url) implements Result {
    }

    /**
     * The user went through the IdP again, but its ID token did not show a new login ({@code reason}); the key stays
     * sealed. Opening the reveal page again starts a new re-login.
     */
    public record LoginNotConfirmed(String reason) implements Result {
    }

    private final JdbcClient jdbc;
    private final SecretSealer sealer;
    private final ApiKeys keys;
    private final CurrentUser currentUser;
    private final Reauthentication reauthentication;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final RevealProperties properties;
    private final BusinessUnitService units;
    private final Clock clock;

    KeyReveal(JdbcClient jdbc, SecretSealer sealer, ApiKeys keys, CurrentUser currentUser,
            Reauthentication reauthentication, AuditLog audit, ApplicationEventPublisher events,
            RevealProperties properties, BusinessUnitService units, Clock clock) {
        this.jdbc = jdbc;
        this.units = units;
        this.sealer = sealer;
        this.keys = keys;
        this.currentUser = currentUser;
        this.reauthentication = reauthentication;
        this.audit = audit;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    /** The reveal of the key a request created (route {@code keys/reveal/{requestId}}). */
    @PermitAll
    @Transactional
    public Result reveal(long requestId) {
        String me = currentUser.get().orElseThrow().username();
        Optional<ApiKey> key = keys.forRequest(requestId);
        if (key.isEmpty()) {
            events.publishEvent(new SecurityEvents.AccessDenied(me, "reveal key of request:" + requestId));
            return new NotAvailable(NOT_YOURS);
        }
        return reveal(key.get(), me, "keys/reveal/" + requestId, "reveal key of request:" + requestId);
    }

    /** The reveal of a key by its own id (route {@code keys/reveal/key/{keyId}}): a rotation's new key has no request. */
    @PermitAll
    @Transactional
    public Result revealKey(long keyId) {
        String me = currentUser.get().orElseThrow().username();
        Optional<ApiKey> key = keys.find(keyId);
        if (key.isEmpty()) {
            events.publishEvent(new SecurityEvents.AccessDenied(me, "reveal key:" + keyId));
            return new NotAvailable(NOT_YOURS);
        }
        return reveal(key.get(), me, revealPath(key.get()), "reveal key:" + keyId);
    }

    /** Where the key is revealed: its request's reveal page, or its own for a key without request. */
    public static String revealPath(ApiKey key) {
        return key.requestId() > 0 ? "keys/reveal/" + key.requestId() : "keys/reveal/key/" + key.id();
    }

    private static final String NOT_A_MEMBER = "You are no longer a member of this key's business unit, so the key "
            + "cannot be revealed to you. Ask the unit's managers.";

    private static final String NOT_YOURS = "There is no key for you to reveal here. Only the requester can reveal a key.";

    private static final String TOO_LATE = "This key was not revealed in time. ";

    /**
     * Whether the key's reveal window is still open. Once it has passed the key is never shown, whatever its status
     * says: the window's step may not have run yet (its timer late, its AWS call being retried) or may have found the
     * key disabled by a person and only deleted the sealed copy, and a rotation that gave up on its new key must not
     * see it revealed after all.
     */
    public static boolean windowOpen(ApiKey key, Instant now) {
        return now.isBefore(key.revealDeadline());
    }

    /** Whether the key's request is still being provisioned (or failed): then it is not shown. */
    private boolean held(long keyId) {
        return jdbc.sql("select held from api_key where id = :k").param("k", keyId).query(Boolean.class).single();
    }

    private Result reveal(ApiKey key, String me, String path, String denied) {
        long keyId = key.id();
        if (!me.equals(key.requester())) {
            events.publishEvent(new SecurityEvents.AccessDenied(me, denied));
            return new NotAvailable(NOT_YOURS);
        }
        if (key.revealedAt() == null && units.find(key.businessUnitId()).filter(u -> u.members().contains(me))
                .isEmpty()) {
            // Moved out of the unit since the key was issued: the key is not handed to someone who left.
            events.publishEvent(new SecurityEvents.AccessDenied(me, denied + " (no longer a member of the unit)"));
            return new NotAvailable(NOT_A_MEMBER);
        }
        Optional<AlreadyRevealed> earlier = revealedKey(keyId);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        if (key.status() != KeyStatus.PENDING_REVEAL) {
            if (key.statusChangedBy() != null) {
                return new NotAvailable("This key was " + (key.status() == KeyStatus.INACTIVE ? "disabled"
                        : key.status().label()) + " by " + key.statusChangedBy() + " before it was "
                        + "revealed: " + key.statusReason());
            }
            return new NotAvailable(TOO_LATE + "It has been disabled. " + (key.requestId() > 0
                    ? "Submit a new request to get a new key." : "The old key keeps working; rotate again."));
        }
        Instant now = clock.instant();
        if (held(keyId)) {
            return new NotAvailable("This key is not ready yet: its request is still being provisioned. You are told "
                    + "when it is ready.");
        }
        if (!windowOpen(key, now)) {
            return new NotAvailable(TOO_LATE + (key.requestId() > 0 ? "Submit a new request to get a new key."
                    : "The old key keeps working; rotate again."));
        }
        if (!reauthentication.isFresh(properties.reauthWithin())) {
            Optional<String> refused = reauthentication.takeRefusal();
            if (refused.isPresent()) {
                return new LoginNotConfirmed(refused.get());
            }
            return new LoginAgain(reauthentication.start(path, properties.reauthWithin()));
        }
        record SealedRow(String ciphertext, String wrapped, String masterKeyId, String region, String model) {
        }
        SealedRow row = jdbc.sql("""
                select sealed_secret, wrapped_key, master_key_id, region, example_model from api_key
                where id = :k and revealed_at is null""").param("k", keyId)
                .query((rs, i) -> new SealedRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5))).optional().orElse(null);
        int won = jdbc.sql("""
                update api_key set sealed_secret = null, wrapped_key = null, revealed_at = :now, revealed_by = :me,
                       status = 'ACTIVE'
                where id = :k and revealed_at is null and status = 'PENDING_REVEAL' and sealed_secret is not null
                  and reveal_deadline > :now and held = false""")
                .param("now", now.atOffset(ZoneOffset.UTC)).param("me", me).param("k", keyId).update();
        if (won == 0 || row == null || row.ciphertext() == null) {
            return revealedKey(keyId).<Result>map(r -> r)
                    .orElse(new NotAvailable("This key is no longer available."));
        }
        char[] secret = sealer.open(new SecretSealer.Sealed(Base64.getDecoder().decode(row.ciphertext()),
                Base64.getDecoder().decode(row.wrapped()), row.masterKeyId()), keys.sealingContext(keyId));
        if (key.requestId() > 0) {
            audit.record(me, "KEY_REVEALED", "request:" + key.requestId(), "key " + key.prefix() + "…");
            events.publishEvent(new KeyEvents.Revealed(key.requestId()));
        } else {
            audit.record(me, "KEY_REVEALED", "key:" + keyId, "key " + key.prefix() + "… (rotation)");
            events.publishEvent(new KeyEvents.RotatedKeyRevealed(keyId));
        }
        return new Revealed(secret, key, row.region(), row.model());
    }

    /** Records the checklist the requester ticked after the reveal. */
    @PermitAll
    @Transactional
    public void acknowledge(long requestId, List<String> checked) {
        keys.forRequest(requestId).ifPresent(k -> acknowledgeKey(k.id(), checked));
    }

    /** Records the checklist the key's owner ticked after the reveal. */
    @PermitAll
    @Transactional
    public void acknowledgeKey(long keyId, List<String> checked) {
        String me = currentUser.get().orElseThrow().username();
        Optional<ApiKey> key = keys.find(keyId);
        if (key.isEmpty() || !me.equals(key.get().requester())) {
            return;
        }
        // The checklist has a handful of lines: at most 20 are looked at, and the text is cut at 400 characters.
        String text = String.join("; ", checked == null ? List.of() : checked.subList(0, Math.min(checked.size(), 20)));
        if (text.length() > 400) {
            text = text.substring(0, 400);
        }
        jdbc.sql("update api_key set acknowledged = :a where id = :k").param("a", text).param("k", keyId).update();
        audit.record(me, "KEY_STORAGE_ACKNOWLEDGED", key.get().requestId() > 0 ? "request:" + key.get().requestId()
                : "key:" + keyId, text);
    }

    @PermitAll
    @Transactional(readOnly = true)
    public Optional<AlreadyRevealed> revealed(long requestId) {
        return keys.forRequest(requestId).flatMap(k -> revealedKey(k.id()));
    }

    private Optional<AlreadyRevealed> revealedKey(long keyId) {
        return jdbc.sql("select revealed_at, revealed_by, delivered_to_secret from api_key where id = :k "
                + "and revealed_at is not null")
                .param("k", keyId)
                .query((rs, i) -> new AlreadyRevealed(rs.getObject(1, OffsetDateTime.class).toInstant(),
                        rs.getString(2), rs.getBoolean(3)))
                .optional();
    }

}
