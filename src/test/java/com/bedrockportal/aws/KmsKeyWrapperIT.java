package com.bedrockportal.aws;

import java.net.URI;
import java.time.Duration;

import com.bedrockportal.key.internal.SecretSealer;
import com.bedrockportal.key.internal.SecretSealerTest;
import com.bedrockportal.testsupport.Moto;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sealing with data keys wrapped by AWS KMS (moto's KMS), the option of aws mode. */
class KmsKeyWrapperIT {

    static AwsClients clients;
    static String keyId;

    @BeforeAll
    static void kmsKey() {
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLETESTONLY");
        System.setProperty("aws.secretAccessKey", "test-secret-not-real");
        clients = new AwsClients(new AwsProperties("aws", "us-east-1", URI.create(Moto.endpoint()),
                Duration.ofSeconds(20), "off"));
        keyId = clients.kms().createKey(r -> r.description("bedrock portal sealing test")).keyMetadata().keyId();
    }

    @AfterAll
    static void clear() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void keysSealedWithKmsWrappedDataKeysOpenAgain() {
        SecretSealer sealer = new SecretSealer(new KmsKeyWrapper(clients.kms(), keyId));
        char[] secret = ("ABSK" + "k".repeat(90)).toCharArray();
        SecretSealer.Sealed sealed = sealer.seal(secret, "api-key:request:42");
        assertThat(sealed.masterKeyId()).startsWith("kms-").hasSize(16);
        assertThat(sealer.open(sealed, "api-key:request:42")).containsExactly(secret);
    }

    @Test
    void aTamperedWrappedKeyIsRefused() {
        SecretSealer sealer = new SecretSealer(new KmsKeyWrapper(clients.kms(), keyId));
        SecretSealer.Sealed sealed = sealer.seal("ABSKsecret".toCharArray(), "ctx");
        byte[] wrapped = sealed.wrappedKey().clone();
        wrapped[wrapped.length / 2] ^= 0x5a;
        assertThatThrownBy(() -> sealer.open(new SecretSealer.Sealed(sealed.ciphertext(), wrapped,
                sealed.masterKeyId()), "ctx")).isInstanceOf(SecretSealer.SealingException.class);
    }

    @Test
    void aLocalMasterKeyMigratesToKmsByRewrapping() {
        SecretSealer local = new SecretSealer(SecretSealerTest.randomKey());
        SecretSealer kms = new SecretSealer(new KmsKeyWrapper(clients.kms(), keyId));
        SecretSealer.Sealed sealed = local.seal("ABSKmigrate".toCharArray(), "ctx");
        assertThat(kms.open(local.rewrap(sealed, "ctx", kms), "ctx")).containsExactly("ABSKmigrate".toCharArray());
    }
}
