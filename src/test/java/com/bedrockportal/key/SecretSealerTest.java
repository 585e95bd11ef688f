package com.bedrockportal.key;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

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
        assertThatThrownBy(() -> SecretSealer.from(new SealingProperties("not base64 !!", Path.of("unused"), null, null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not valid base64");
        String sixteen = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> SecretSealer.from(new SealingProperties(sixteen, Path.of("unused"), null, null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("32 bytes");
    }

    @Test
    void theEmbeddedDefaultGeneratesAnOwnerOnlyKeyFileOnceAndReusesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data/sealing.key");
        SecretSealer first = SecretSealer.from(new SealingProperties(null, file, null, null));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        SecretSealer second = SecretSealer.from(new SealingProperties("", file, null, null));
        assertThat(second.masterKeyId()).isEqualTo(first.masterKeyId());
        SecretSealer.Sealed sealed = first.seal("ABSKpersist".toCharArray(), "ctx");
        assertThat(second.open(sealed, "ctx")).containsExactly("ABSKpersist".toCharArray());
    }
}
