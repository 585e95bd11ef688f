package com.bedrockportal.key;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.audit.AuditLog;
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

    public record AlreadyRevealed(Instant at, String by) implements Result {
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
    private final Clock clock;

    KeyReveal(JdbcClient jdbc, SecretSealer sealer, ApiKeys keys, CurrentUser currentUser,
            Reauthentication reauthentication, AuditLog audit, ApplicationEventPublisher events,
            RevealProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.keys = keys;
        this.currentUser = currentUser;
        this.reauthentication = reauthentication;
        this.audit = audit;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    @PermitAll
    @Transactional
    public Result reveal(long requestId) {
        String me = currentUser.get().orElseThrow().username();
        Optional<ApiKey> key = keys.forRequest(requestId);
        if (key.isEmpty() || !me.equals(owner(requestId))) {
            events.publishEvent(new SecurityEvents.AccessDenied(me, "reveal key of request:" + requestId));
            return new NotAvailable("There is no key for you to reveal here. Only the requester can reveal a key.");
        }
        Optional<AlreadyRevealed> earlier = revealed(requestId);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        if (key.get().status() != KeyStatus.PENDING_REVEAL) {
            if (key.get().statusChangedBy() != null) {
                return new NotAvailable("This key was " + (key.get().status() == KeyStatus.INACTIVE ? "disabled"
                        : key.get().status().label()) + " by " + key.get().statusChangedBy() + " before it was "
                        + "revealed: " + key.get().statusReason());
            }
            return new NotAvailable("This key was not revealed in time and has been disabled. Submit a new request "
                    + "to get a new key.");
        }
        if (!reauthentication.isFresh(properties.reauthWithin())) {
            Optional<String> refused = reauthentication.takeRefusal();
            if (refused.isPresent()) {
                return new LoginNotConfirmed(refused.get());
            }
            return new LoginAgain(reauthentication.start("keys/reveal/" + requestId, properties.reauthWithin()));
        }
        record SealedRow(String ciphertext, String wrapped, String masterKeyId, String region, String model) {
        }
        SealedRow row = jdbc.sql("""
                select sealed_secret, wrapped_key, master_key_id, region, example_model from api_key
                where request_id = :r and revealed_at is null""").param("r", requestId)
                .query((rs, i) -> new SealedRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5))).optional().orElse(null);
        int won = jdbc.sql("""
                update api_key set sealed_secret = null, wrapped_key = null, revealed_at = :now, revealed_by = :me,
                       status = 'ACTIVE'
                where request_id = :r and revealed_at is null""")
                .param("now", clock.instant().atOffset(ZoneOffset.UTC)).param("me", me).param("r", requestId).update();
        if (won == 0 || row == null || row.ciphertext() == null) {
            return revealed(requestId).<Result>map(r -> r)
                    .orElse(new NotAvailable("This key is no longer available."));
        }
        char[] secret = sealer.open(new SecretSealer.Sealed(Base64.getDecoder().decode(row.ciphertext()),
                Base64.getDecoder().decode(row.wrapped()), row.masterKeyId()), ApiKeys.context(requestId));
        audit.record(me, "KEY_REVEALED", "request:" + requestId, "key " + key.get().prefix() + "…");
        events.publishEvent(new KeyEvents.Revealed(requestId));
        return new Revealed(secret, key.get(), row.region(), row.model());
    }

    /** Records the checklist the requester ticked after the reveal. */
    @PermitAll
    @Transactional
    public void acknowledge(long requestId, List<String> checked) {
        String me = currentUser.get().orElseThrow().username();
        if (!me.equals(owner(requestId))) {
            return;
        }
        String text = String.join("; ", checked);
        jdbc.sql("update api_key set acknowledged = :a where request_id = :r").param("a", text)
                .param("r", requestId).update();
        audit.record(me, "KEY_STORAGE_ACKNOWLEDGED", "request:" + requestId, text);
    }

    @PermitAll
    @Transactional(readOnly = true)
    public Optional<AlreadyRevealed> revealed(long requestId) {
        return jdbc.sql("select revealed_at, revealed_by from api_key where request_id = :r and revealed_at is not null")
                .param("r", requestId)
                .query((rs, i) -> new AlreadyRevealed(rs.getObject(1, OffsetDateTime.class).toInstant(),
                        rs.getString(2)))
                .optional();
    }

    private String owner(long requestId) {
        return jdbc.sql("select requester from api_key where request_id = :r").param("r", requestId)
                .query(String.class).optional().orElse(null);
    }

}
