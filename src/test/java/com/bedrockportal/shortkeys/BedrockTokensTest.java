package com.bedrockportal.shortkeys;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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

    private static final AwsSessionCredentials SESSION = AwsSessionCredentials.create("ASIAEXAMPLESESSION01",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "FwoGZXIvYXdzEXAMPLE/token+with=chars");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC);

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
                .contains("X-Amz-Credential=ASIAEXAMPLESESSION01/20261202/eu-central-1/bedrock/aws4_request")
                .contains("X-Amz-Date=20261202T120000Z")
                .contains("X-Amz-Expires=43200")
                .contains("X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLE/token+with=chars")
                .contains("X-Amz-SignedHeaders=host")
                .containsPattern("X-Amz-Signature=[0-9a-f]{64}");
        assertThat(query).doesNotContain("wJalrXUtnFEMI");
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
