package com.bedrockportal.key;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import com.bedrockportal.key.internal.SecretSealer;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Secrets the portal keeps for other purposes than an API key (a unit's chat webhook URL, which lets anyone holding it
 * post into the channel), sealed the same way: AES-256-GCM under a fresh data key wrapped by the master key, bound to
 * the setting's name, re-wrapped by master key rotation. The plaintext is only ever returned to the code that uses it;
 * pages show the {@linkplain Setting#hint() hint}. The calling module decides who may set or read a setting.
 */
@Service
public class SealedSettings {

    /** What may be shown of a setting: its hint and who set it when. */
    public record Setting(String name, String hint, String updatedBy, Instant updatedAt) {
    }

    /** Longest name and value accepted. */
    public static final int MAX_NAME = 200;
    public static final int MAX_VALUE = 2000;

    private final JdbcClient jdbc;
    private final SecretSealer sealer;
    private final Clock clock;

    SealedSettings(JdbcClient jdbc, SecretSealer sealer, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.clock = clock;
    }

    /** Seals and stores {@code value} under {@code name}, replacing what was there. */
    @Transactional
    public Setting put(String name, String value, String hint, String actor) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME || value == null || value.length() > MAX_VALUE) {
            throw new IllegalArgumentException("A sealed setting needs a name of at most " + MAX_NAME
                    + " characters and a value of at most " + MAX_VALUE + ".");
        }
        char[] plain = value.toCharArray();
        SecretSealer.Sealed sealed;
        try {
            sealed = sealer.seal(plain, context(name));
        } finally {
            Arrays.fill(plain, '\0');
        }
        Instant now = clock.instant();
        jdbc.sql("delete from sealed_setting where name = :n").param("n", name).update();
        jdbc.sql("""
                insert into sealed_setting (name, sealed_value, wrapped_key, master_key_id, hint, updated_by, updated_at)
                values (:n, :v, :w, :m, :h, :by, :at)""").param("n", name)
                .param("v", Base64.getEncoder().encodeToString(sealed.ciphertext()))
                .param("w", Base64.getEncoder().encodeToString(sealed.wrappedKey())).param("m", sealed.masterKeyId())
                .param("h", limit(hint, 200)).param("by", limit(actor, 200))
                .param("at", now.atOffset(ZoneOffset.UTC)).update();
        return new Setting(name, limit(hint, 200), limit(actor, 200), now);
    }

    /** Removes the setting; true when there was one. */
    @Transactional
    public boolean remove(String name) {
        return jdbc.sql("delete from sealed_setting where name = :n").param("n", name).update() == 1;
    }

    /** What may be shown of the setting, if set. */
    @Transactional(readOnly = true)
    public Optional<Setting> describe(String name) {
        return jdbc.sql("select name, hint, updated_by, updated_at from sealed_setting where name = :n")
                .param("n", name).query((rs, i) -> new Setting(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant()))
                .optional();
    }

    /** The plaintext, for the code about to use it (never for a page, a log line or an error). */
    @Transactional(readOnly = true)
    public Optional<String> open(String name) {
        return jdbc.sql("select sealed_value, wrapped_key, master_key_id from sealed_setting where name = :n")
                .param("n", name).query((rs, i) -> new SecretSealer.Sealed(
                        Base64.getDecoder().decode(rs.getString(1)), Base64.getDecoder().decode(rs.getString(2)),
                        rs.getString(3)))
                .optional().map(sealed -> {
                    char[] plain = sealer.open(sealed, context(name));
                    try {
                        return new String(plain);
                    } finally {
                        Arrays.fill(plain, '\0');
                    }
                });
    }

    /** The context a setting's sealing is bound to: its bytes cannot be moved to another name. */
    public static String context(String name) {
        return "setting:" + name;
    }

    private static String limit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
