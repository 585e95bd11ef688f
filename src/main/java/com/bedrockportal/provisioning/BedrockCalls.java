package com.bedrockportal.provisioning;

import java.time.Instant;
import java.util.List;

/**
 * Port of the usage collection: the Bedrock runtime calls ({@code InvokeModel}, {@code InvokeModelWithResponseStream},
 * {@code Converse}, {@code ConverseStream}) an IAM user made, as CloudTrail's event history has them
 * ({@code LookupEvents}, attribute {@code Username}, events of source {@code bedrock.amazonaws.com}). Implemented by
 * the AWS SDK adapter (CloudTrail answers at most two look-ups a second per account and region: the adapter paces its
 * pages) and the simulated account. Failures are {@link CloudException}s.
 */
public interface BedrockCalls {

    /** The most calls one look-up returns, whatever the caller asks. */
    int MAX_CALLS = 5000;

    /**
     * One call. {@code modelId}: the model or inference profile of the request, when the record names it;
     * {@code errorCode} null when AWS accepted it; tokens null when the source does not say (CloudTrail never does:
     * only model invocation logging or the simulated account tell them).
     */
    record BedrockCall(String eventId, Instant time, String eventName, String modelId, String sourceIp,
            String region, String errorCode, String credentialId, Long inputTokens, Long outputTokens) {

        /** Refused for lack of permission ({@code AccessDenied}, {@code AccessDeniedException}). */
        public boolean denied() {
            return errorCode != null && errorCode.startsWith("AccessDenied");
        }
    }

    /** The calls read, newest first; {@code truncated} when there were more than asked for. */
    record Calls(List<BedrockCall> calls, boolean truncated) {
    }

    /** The user's Bedrock runtime calls from {@code from} (inclusive) to {@code to}, newest first, at most {@code max}. */
    Calls callsOfUser(String userName, Instant from, Instant to, int max);
}
