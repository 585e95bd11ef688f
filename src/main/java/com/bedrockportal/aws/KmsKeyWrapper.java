package com.bedrockportal.aws;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import com.bedrockportal.key.KeyWrapper;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * Data keys wrapped by AWS KMS (Encrypt/Decrypt with an encryption context naming the record), so the master key
 * never leaves KMS.
 */
final class KmsKeyWrapper implements KeyWrapper {

    private static final String CONTEXT_KEY = "bedrock-portal-record";

    private final KmsClient kms;
    private final String keyId;
    private final String id;

    KmsKeyWrapper(KmsClient kms, String keyId) {
        this.kms = kms;
        this.keyId = keyId;
        try {
            this.id = "kms-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(keyId.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public byte[] wrap(byte[] dataKey, String context) {
        return kms.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromByteArray(dataKey))
                .encryptionContext(Map.of(CONTEXT_KEY, context))).ciphertextBlob().asByteArray();
    }

    @Override
    public byte[] unwrap(byte[] wrapped, String context) throws GeneralSecurityException {
        try {
            return kms.decrypt(r -> r.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                    .encryptionContext(Map.of(CONTEXT_KEY, context))).plaintext().asByteArray();
        } catch (KmsException e) {
            throw new GeneralSecurityException("KMS refused to unwrap the data key: "
                    + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorCode()), e);
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw new GeneralSecurityException("KMS could not unwrap the data key", e);
        }
    }
}
