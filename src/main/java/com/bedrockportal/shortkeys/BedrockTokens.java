package com.bedrockportal.shortkeys;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;

/**
 * Builds a short-term Amazon Bedrock API key the way AWS's own token generators do (aws-bedrock-token-generator for
 * Java, Python and JavaScript, checked against their source): a SigV4 query-string presigned {@code POST
 * https://bedrock.amazonaws.com/?Action=CallWithBearerToken} for signing name {@code bedrock} in the caller's region,
 * with {@code X-Amz-Expires} the key's lifetime; the URL without its {@code https://}, with {@code &Version=1}
 * appended, Base64-encoded (standard alphabet, padded) after the prefix {@code bedrock-api-key-}. The key is as strong
 * as the credentials that signed it and no longer valid than they are: AWS refuses it once either expires.
 */
public final class BedrockTokens {

    public static final String PREFIX = "bedrock-api-key-";
    /** The longest lifetime a Bedrock short-term key may have (the token generators refuse more). */
    public static final Duration MAX_LIFETIME = Duration.ofHours(12);
    static final String HOST = "bedrock.amazonaws.com";
    static final String SIGNING_NAME = "bedrock";
    static final String VERSION = "&Version=1";

    private BedrockTokens() {
    }

    /**
     * The key for these session credentials, valid for {@code lifetime} (more than zero, at most 12 hours) from the
     * clock's now, for calls in {@code region}. Returned as a char array so the caller can wipe it.
     */
    public static char[] token(AwsSessionCredentials credentials, String region, Duration lifetime, Clock clock) {
        if (lifetime.isZero() || lifetime.isNegative() || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("a short-term key lives more than 0 s and at most 12 h, not "
                    + lifetime);
        }
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).protocol("https")
                .host(HOST).encodedPath("/").appendHeader("host", HOST)
                .putRawQueryParameter("Action", "CallWithBearerToken").build();
        SignRequest<AwsSessionCredentials> sign = SignRequest.builder(credentials)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, lifetime)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock)
                .request(request).build();
        String uri = AwsV4HttpSigner.create().sign(sign).request().getUri().toString();
        String withoutScheme = uri.startsWith("https://") ? uri.substring("https://".length()) : uri;
        byte[] encoded = Base64.getEncoder().encode((withoutScheme + VERSION).getBytes(StandardCharsets.UTF_8));
        char[] token = new char[PREFIX.length() + encoded.length];
        PREFIX.getChars(0, PREFIX.length(), token, 0);
        for (int i = 0; i < encoded.length; i++) {
            token[PREFIX.length() + i] = (char) encoded[i];
        }
        java.util.Arrays.fill(encoded, (byte) 0);
        return token;
    }
}
