package com.bedrockportal.aws;

import com.bedrockportal.provisioning.CloudException.Kind;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which AWS answers end a step as a business failure and which are retried. */
class AwsFailureKindsTest {

    private static AwsServiceException answer(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build()).build();
    }

    @Test
    void notNowIsRetriedAndNoEndsTheStep() {
        // "Not now": IAM's concurrent modification, an expired request or token, a skewed clock; throttling and 5xx.
        for (String code : new String[] { "ConcurrentModification", "ConcurrentModificationException",
                "RequestExpired", "RequestTimeTooSkewed", "ExpiredToken" }) {
            assertThat(AwsCloudAccount.kindOf(answer(400, code))).as(code).isEqualTo(Kind.TRANSIENT);
        }
        assertThat(AwsCloudAccount.kindOf(answer(409, "ConcurrentModification"))).isEqualTo(Kind.TRANSIENT);
        assertThat(AwsCloudAccount.kindOf(answer(503, "ServiceUnavailable"))).isEqualTo(Kind.TRANSIENT);
        assertThat(AwsCloudAccount.kindOf(answer(400, "Throttling"))).isEqualTo(Kind.TRANSIENT);
        assertThat(AwsCloudAccount.kindOf(SdkClientException.create("connection reset"))).isEqualTo(Kind.TRANSIENT);
        // "No": refused or malformed, which trying again does not change.
        assertThat(AwsCloudAccount.kindOf(answer(403, "AccessDenied"))).isEqualTo(Kind.ACCESS_DENIED);
        assertThat(AwsCloudAccount.kindOf(answer(400, "AccessDeniedException"))).isEqualTo(Kind.ACCESS_DENIED);
        assertThat(AwsCloudAccount.kindOf(answer(400, "ValidationError"))).isEqualTo(Kind.INVALID_INPUT);
        assertThat(AwsCloudAccount.kindOf(answer(400, "InvalidRequestException"))).isEqualTo(Kind.INVALID_INPUT);
    }
}
