package com.bedrockportal.identity.devidp;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded provider's encoder: clients' secrets as SHA-256 digests, people's passwords still with BCrypt, and
 * neither kept in plain text.
 */
class ClientSecretDigestTest {

    final PasswordEncoder encoder = new EmbeddedIdpConfig().passwordEncoder();
    final ClientSecretDigest digest = new ClientSecretDigest();

    @Test
    void aClientSecretIsKeptAsItsDigestAndOnlyThatSecretMatches() {
        String stored = digest.stored("s3cret-of-the-portal");
        assertThat(stored).startsWith("{sha256}").doesNotContain("s3cret").hasSize("{sha256}".length() + 64);
        assertThat(encoder.matches("s3cret-of-the-portal", stored)).isTrue();
        assertThat(encoder.matches("s3cret-of-the-portaL", stored)).isFalse();
        assertThat(encoder.matches("", stored)).isFalse();
        assertThat(digest.matches(null, stored)).isFalse();
        assertThat(digest.matches("s3cret-of-the-portal", null)).isFalse();
    }

    @Test
    void aClientSecretsDigestIsNeverUpgradedToTheDefaultEncoding() {
        // Spring Authorization Server re-encodes a matched client secret whenever the encoder asks for an upgrade.
        assertThat(encoder.upgradeEncoding(digest.stored("s3cret-of-the-portal"))).isFalse();
        assertThat(encoder.upgradeEncoding(encoder.encode("alice-demo"))).isFalse();
        assertThat(encoder.upgradeEncoding("{noop}plain")).as("anything else still is").isTrue();
    }

    @Test
    void peoplesPasswordsAreStillHashedWithBcrypt() {
        String stored = encoder.encode("alice-demo");
        assertThat(stored).startsWith("{bcrypt}$2a$10$");
        assertThat(encoder.matches("alice-demo", stored)).isTrue();
        assertThat(encoder.matches("alice-dem0", stored)).isFalse();
    }
}
