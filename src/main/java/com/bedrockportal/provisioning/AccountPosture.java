package com.bedrockportal.provisioning;

import java.util.List;
import java.util.Map;

/**
 * Port: how the AWS account around the portal is set up — what the account posture page checks against the initial
 * setup checklist (a logging CloudTrail trail, Bedrock model invocation logging, the portal's cost-allocation tags,
 * the credentials the portal runs with). Read-only. Implemented by the AWS SDK adapter (CloudTrail
 * {@code DescribeTrails}/{@code GetTrailStatus}/{@code GetEventSelectors}, Bedrock
 * {@code GetModelInvocationLoggingConfiguration}, Cost Explorer {@code ListCostAllocationTags}, STS) and the simulated
 * account, held to {@code AccountPostureContract}. Failures are {@link CloudException}s (ACCESS_DENIED when the
 * portal may not ask).
 */
public interface AccountPosture {

    /** Which management events a trail logs. */
    enum ManagementEvents {
        ALL, WRITE_ONLY, READ_ONLY, NONE
    }

    /**
     * A trail that applies to the portal's region (its own or a multi-region trail of another home region).
     *
     * @param managementEvents   which management events it logs (Bedrock's InvokeModel and Converse are management
     *                           events recorded with {@code readOnly: false})
     * @param bedrockExcluded    its selectors exclude the event source {@code bedrock.amazonaws.com}
     * @param latestDeliveryError the last error delivering log files to S3, null when none
     */
    record Trail(String name, String arn, String homeRegion, boolean multiRegion, boolean organization,
            boolean logging, ManagementEvents managementEvents, boolean bedrockExcluded, String latestDeliveryError) {
    }

    /** The trails that apply to the portal's region, at most 10 (AWS allows 5 per region). */
    List<Trail> trails();

    /**
     * Bedrock model invocation logging of one region; {@code enabled} when a CloudWatch Logs or S3 destination is set.
     *
     * @param logGroup CloudWatch Logs destination (null: none)
     * @param bucket   S3 destination (null: none)
     */
    record InvocationLogging(String region, boolean enabled, String logGroup, String bucket, boolean text) {
    }

    InvocationLogging invocationLogging(String region);

    /** The status of a cost-allocation tag key as Billing lists it. */
    enum TagStatus {
        ACTIVE, INACTIVE
    }

    /**
     * The status of these cost-allocation tag keys (at most 100); a key Billing does not list (it has not yet seen it
     * on any cost) is absent from the answer.
     */
    Map<String, TagStatus> costAllocationTags(List<String> tagKeys);

    /** What kind of identity the portal calls AWS as. */
    enum CredentialKind {
        /** Temporary credentials of an IAM role (instance profile, task role, SSO): nothing long-lived to leak. */
        ROLE,
        /** Long-lived access keys of an IAM user. */
        IAM_USER,
        /** The account's root user. */
        ROOT,
        /** The simulated account: no AWS credentials at all. */
        SIMULATED
    }

    record Credentials(CredentialKind kind, String arn) {
    }

    Credentials credentials();
}
