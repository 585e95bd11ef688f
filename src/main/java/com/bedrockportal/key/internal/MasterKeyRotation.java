package com.bedrockportal.key.internal;

import java.util.Base64;
import java.util.List;

import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.SealedSettings;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Master key rotation: with {@code portal.sealing.previous-master-key} set, every key still waiting to be revealed
 * and sealed under the previous master key gets its data key re-wrapped under the current one at start-up. The
 * ciphertext itself does not change.
 */
@Component
public class MasterKeyRotation implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(MasterKeyRotation.class);

    private final JdbcClient jdbc;
    private final SecretSealer current;
    private final SealingProperties properties;
    private final TransactionTemplate transaction;

    MasterKeyRotation(JdbcClient jdbc, SecretSealer current, SealingProperties properties,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.current = current;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
    }

    @Override
    public void run(ApplicationArguments args) {
        if (properties.previousMasterKey() != null && !properties.previousMasterKey().isBlank()) {
            SecretSealer previous = SecretSealer.from(new SealingProperties(properties.previousMasterKey(),
                    properties.keyFile(), null, null), false);
            int done = rewrap(previous);
            log.info("Re-wrapped {} sealed key(s) from master key {} to {}", done, previous.masterKeyId(),
                    current.masterKeyId());
        }
    }

    /**
     * Re-wraps every sealed key and {@linkplain SealedSettings sealed setting} of the previous master key in one transaction, all or none: a key that cannot be
     * re-wrapped (tampered, wrong previous key) leaves every key as it was and fails the start. Returns how many.
     */
    public int rewrap(SecretSealer previous) {
        Integer done = transaction.execute(status -> rewrapAll(previous));
        return done == null ? 0 : done;
    }

    private int rewrapAll(SecretSealer previous) {
        record Row(long keyId, long requestId, long rotationId, String ciphertext, String wrapped) {
        }
        List<Row> rows = jdbc.sql("""
                select id, request_id, rotation_id, sealed_secret, wrapped_key from api_key
                where master_key_id = :old and sealed_secret is not null order by id""").param("old", previous.masterKeyId())
                .query((rs, i) -> new Row(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5))).list();
        for (Row row : rows) {
            SecretSealer.Sealed sealed = new SecretSealer.Sealed(Base64.getDecoder().decode(row.ciphertext()),
                    Base64.getDecoder().decode(row.wrapped()), previous.masterKeyId());
            SecretSealer.Sealed rewrapped = previous.rewrap(sealed,
                    ApiKeys.context(row.requestId() > 0 ? row.requestId() : null, row.rotationId()), current);
            jdbc.sql("update api_key set wrapped_key = :w, master_key_id = :id where id = :k")
                    .param("w", Base64.getEncoder().encodeToString(rewrapped.wrappedKey()))
                    .param("id", rewrapped.masterKeyId()).param("k", row.keyId()).update();
        }
        record Setting(String name, String wrapped) {
        }
        List<Setting> settings = jdbc.sql("select name, wrapped_key from sealed_setting where master_key_id = :old "
                + "order by name").param("old", previous.masterKeyId())
                .query((rs, i) -> new Setting(rs.getString(1), rs.getString(2))).list();
        for (Setting setting : settings) {
            // Only the data key is re-wrapped; the ciphertext is not needed for that.
            SecretSealer.Sealed rewrapped = previous.rewrap(new SecretSealer.Sealed(new byte[0],
                    Base64.getDecoder().decode(setting.wrapped()), previous.masterKeyId()),
                    SealedSettings.context(setting.name()), current);
            jdbc.sql("update sealed_setting set wrapped_key = :w, master_key_id = :id where name = :n")
                    .param("w", Base64.getEncoder().encodeToString(rewrapped.wrappedKey()))
                    .param("id", rewrapped.masterKeyId()).param("n", setting.name()).update();
        }
        return rows.size() + settings.size();
    }
}
