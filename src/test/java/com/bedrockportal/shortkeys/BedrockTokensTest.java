package com.bedrockportal.shortkeys;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BedrockTokensTest {

    // Session credentials made at run time, shaped like STS's: an ASIA access key id, a 40-character secret and a
    // token with base64's '+', '/' and '='.
    private static final String ACCESS_KEY_ID = "ASIA" + random(12).replaceAll("[^A-Za-z0-9]", "X").toUpperCase()
            .substring(0, 16);
    private static final String SECRET = random(30);
    private static final String TOKEN = random(60);
    private static final AwsSessionCredentials SESSION = AwsSessionCredentials.create(ACCESS_KEY_ID, SECRET, TOKEN);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC);

    private static String random(int bytes) {
        byte[] raw = new byte[bytes];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    private static String decoded(char[] token) {
        String text = new String(token);
        assertThat(text).startsWith(BedrockTokens.PREFIX);
        return new String(Base64.getDecoder().decode(text.substring(BedrockTokens.PREFIX.length())),
                StandardCharsets.UTF_8);
    }

    @Test
    void buildsAPresignedCallWithBearerTokenUrlOfTheSessionLikeAwsTokenGenerator() {
        String url = decoded(BedrockTokens.token(SESSION, "eu-central-1", Duration.ofHours(12), CLOCK));
        String query = URLDecoder.decode(url, StandardCharsets.UTF_8);

        assertThat(url).startsWith("bedrock.amazonaws.com/?").doesNotContain("https://").endsWith("&Version=1");
        assertThat(query).contains("Action=CallWithBearerToken")
                .contains("X-Amz-Algorithm=AWS4-HMAC-SHA256")
                .contains("X-Amz-Credential=" + ACCESS_KEY_ID + "/20261202/eu-central-1/bedrock/aws4_request")
                .contains("X-Amz-Date=20261202T120000Z")
                .contains("X-Amz-Expires=43200")
                .contains("X-Amz-Security-Token=" + TOKEN)
                .contains("X-Amz-SignedHeaders=host")
                .containsPattern("X-Amz-Signature=[0-9a-f]{64}");
        assertThat(query).doesNotContain(SECRET.substring(0, 12));
    }

    @Test
    void theSameCredentialsAndClockGiveTheSameKey() {
        assertThat(BedrockTokens.token(SESSION, "us-east-1", Duration.ofHours(1), CLOCK))
                .isEqualTo(BedrockTokens.token(SESSION, "us-east-1", Duration.ofHours(1), CLOCK));
        assertThat(URLDecoder.decode(decoded(BedrockTokens.token(SESSION, "us-east-1", Duration.ofMinutes(90),
                CLOCK)), StandardCharsets.UTF_8)).contains("X-Amz-Expires=5400");
    }

    @Test
    void refusesALifetimeOverTwelveHoursOrNone() {
        assertThatThrownBy(() -> BedrockTokens.token(SESSION, "us-east-1", Duration.ofHours(12).plusSeconds(1),
                CLOCK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BedrockTokens.token(SESSION, "us-east-1", Duration.ZERO, CLOCK))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
