package com.bedrockportal.key.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import com.bedrockportal.key.ApiKeys;
import db.migration.common.V9__FormatByteInSealedSecrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class SecretSealerTest {

    public static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    final SecretSealer sealer = new SecretSealer(randomKey());

    @Test
    void sealsAndOpensWithoutTheSecretInTheSealedBytes() {
        char[] secret = ("ABSK" + "Q".repeat(100)).toCharArray();
        SecretSealer.Sealed sealed = sealer.seal(secret, "api-key:request:1");
        assertThat(new String(sealed.ciphertext(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("ABSK");
        assertThat(Base64.getEncoder().encodeToString(sealed.ciphertext())).doesNotContain("QQQQ");
        assertThat(sealer.open(sealed, "api-key:request:1")).containsExactly(secret);
    }

    /** Every ciphertext starts with its format byte; records of the first format (byte 0 after V9) still open. */
    @Test
    void theFormatByteLetsOldAndNewRecordsOpenAndIsItselfProtected() {
        SecretSealer.Sealed sealed = sealer.seal("ABSKformat".toCharArray(), "ctx");
        assertThat(sealed.ciphertext()[0]).isEqualTo(SecretSealer.FORMAT_V1);

        SecretSealer.Sealed legacy = sealer.sealLegacyForTests("ABSKlegacy".toCharArray(), "ctx");
        byte[] migrated = new byte[legacy.ciphertext().length + 1];
        System.arraycopy(legacy.ciphertext(), 0, migrated, 1, legacy.ciphertext().length);
        assertThat(sealer.open(new SecretSealer.Sealed(migrated, legacy.wrappedKey(), legacy.masterKeyId()), "ctx"))
                .containsExactly("ABSKlegacy".toCharArray());

        byte[] downgraded = sealed.ciphertext().clone();
        downgraded[0] = SecretSealer.FORMAT_LEGACY;
        assertThatThrownBy(() -> sealer.open(new SecretSealer.Sealed(downgraded, sealed.wrappedKey(),
                sealed.masterKeyId()), "ctx")).isInstanceOf(SecretSealer.SealingException.class);
        byte[] unknown = sealed.ciphertext().clone();
        unknown[0] = 9;
        assertThatThrownBy(() -> sealer.open(new SecretSealer.Sealed(unknown, sealed.wrappedKey(),
                sealed.masterKeyId()), "ctx")).isInstanceOf(SecretSealer.SealingException.class);
    }

    /** Migration V9 gives records stored before the format byte byte 0; they open as before. */
    @Test
    void migrationNineKeepsOldRecordsOpenable() throws Exception {
        SecretSealer.Sealed legacy = sealer.sealLegacyForTests("ABSKbeforeV9".toCharArray(), ApiKeys.context(7));
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:mem:v9;DB_CLOSE_DELAY=0")) {
            c.createStatement().execute("create table api_key (id bigint primary key, sealed_secret varchar(4000))");
            c.createStatement().execute("insert into api_key values (7, '"
                    + Base64.getEncoder().encodeToString(legacy.ciphertext()) + "'), (8, null)");
            assertThat(V9__FormatByteInSealedSecrets.prefixLegacyRecords(c)).isEqualTo(1);
            var rs = c.createStatement().executeQuery("select sealed_secret from api_key where id = 7");
            rs.next();
            byte[] migrated = Base64.getDecoder().decode(rs.getString(1));
            assertThat(migrated[0]).isEqualTo(SecretSealer.FORMAT_LEGACY);
            assertThat(sealer.open(new SecretSealer.Sealed(migrated, legacy.wrappedKey(), legacy.masterKeyId()),
                    ApiKeys.context(7))).containsExactly("ABSKbeforeV9".toCharArray());
        }
    }

    @Test
    void aTamperedCiphertextIsRefusedNeverShownAsGarbage() {
        SecretSealer.Sealed sealed = sealer.seal("ABSKsecret".toCharArray(), "ctx");
        byte[] changed = sealed.ciphertext().clone();
        changed[changed.length - 1] ^= 1;
        assertThatThrownBy(() -> sealer.open(new SecretSealer.Sealed(changed, sealed.wrappedKey(),
                sealed.masterKeyId()), "ctx")).isInstanceOf(SecretSealer.SealingException.class)
                .hasMessageContaining("altered");
    }

    @Test
    void aSealedSecretMovedToAnotherRecordIsRefused() {
        SecretSealer.Sealed sealed = sealer.seal("ABSKsecret".toCharArray(), "api-key:request:1");
        assertThatThrownBy(() -> sealer.open(sealed, "api-key:request:2"))
                .isInstanceOf(SecretSealer.SealingException.class);
    }

    @Test
    void theWrongMasterKeyIsRefusedWithAClearMessage() {
        SecretSealer.Sealed sealed = sealer.seal("ABSKsecret".toCharArray(), "ctx");
        SecretSealer other = new SecretSealer(randomKey());
        assertThatThrownBy(() -> other.open(sealed, "ctx")).isInstanceOf(SecretSealer.SealingException.class)
                .hasMessageContaining("another master key");
        // Even with the id forged, the wrapped data key does not open.
        assertThatThrownBy(() -> other.open(new SecretSealer.Sealed(sealed.ciphertext(), sealed.wrappedKey(),
                other.masterKeyId()), "ctx")).isInstanceOf(SecretSealer.SealingException.class);
    }

    @Test
    void rotatingTheMasterKeyRewrapsTheDataKey() {
        SecretSealer.Sealed sealed = sealer.seal("ABSKrotate".toCharArray(), "ctx");
        SecretSealer next = new SecretSealer(randomKey());
        SecretSealer.Sealed rewrapped = sealer.rewrap(sealed, "ctx", next);
        assertThat(rewrapped.ciphertext()).isEqualTo(sealed.ciphertext());
        assertThat(next.open(rewrapped, "ctx")).containsExactly("ABSKrotate".toCharArray());
    }

    @Test
    void aMalformedConfiguredMasterKeyStopsTheStartWithAClearMessage() {
        assertThatThrownBy(() -> SecretSealer.from(new SealingProperties("not base64 !!", Path.of("unused"), null, null), true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not valid base64");
        String sixteen = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> SecretSealer.from(new SealingProperties(sixteen, Path.of("unused"), null, null), true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("32 bytes");
    }

    @Test
    void theEmbeddedDefaultGeneratesAnOwnerOnlyKeyFileOnceAndReusesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data/sealing.key");
        SecretSealer first = SecretSealer.from(new SealingProperties(null, file, null, null), true);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        SecretSealer second = SecretSealer.from(new SealingProperties("", file, null, null), true);
        assertThat(second.masterKeyId()).isEqualTo(first.masterKeyId());
        SecretSealer.Sealed sealed = first.seal("ABSKpersist".toCharArray(), "ctx");
        assertThat(second.open(sealed, "ctx")).containsExactly("ABSKpersist".toCharArray());
    }
}
