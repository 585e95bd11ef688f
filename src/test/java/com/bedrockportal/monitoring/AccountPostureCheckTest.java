package com.bedrockportal.monitoring;

import java.util.List;

import com.bedrockportal.monitoring.AccountPostureCheck.Check;
import com.bedrockportal.monitoring.AccountPostureCheck.Item;
import com.bedrockportal.monitoring.AccountPostureCheck.Status;
import com.bedrockportal.provisioning.AccountPosture.CredentialKind;
import com.bedrockportal.provisioning.AccountPosture.Credentials;
import com.bedrockportal.provisioning.AccountPosture.ManagementEvents;
import com.bedrockportal.provisioning.AccountPosture.Trail;
import com.bedrockportal.provisioning.CloudException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the posture lines judge what the account answered. */
class AccountPostureCheckTest {

    static Trail trail(String name, boolean multi, boolean logging, ManagementEvents events, boolean noBedrock,
            String error) {
        return new Trail(name, "arn:aws:cloudtrail:us-east-1:123456789012:trail/" + name, "us-east-1", multi, false,
                logging, events, noBedrock, error);
    }

    @Test
    void noTrailIsRedWithTheCommandsToCreateOne() {
        Check c = AccountPostureCheck.trail(List.of());
        assertThat(c.status()).isEqualTo(Status.RED);
        assertThat(c.fixKey()).isEqualTo("posture.fix.trail.create");
    }

    @Test
    void theBestTrailDecides() {
        Check c = AccountPostureCheck.trail(List.of(trail("stopped", true, false, ManagementEvents.ALL, false, null),
                trail("org", true, true, ManagementEvents.ALL, false, null)));
        assertThat(c.status()).isEqualTo(Status.GREEN);
        assertThat(c.evidenceArgs()).startsWith("org");
        assertThat(c.fixKey()).isNull();
    }

    @Test
    void aStoppedTrailIsRedAndToldToStart() {
        Check c = AccountPostureCheck.trail(List.of(trail("t", true, false, ManagementEvents.ALL, false, null)));
        assertThat(c.status()).isEqualTo(Status.RED);
        assertThat(c.fixKey()).isEqualTo("posture.fix.trail.start");
        assertThat(c.fixArgs()).containsExactly("arn:aws:cloudtrail:us-east-1:123456789012:trail/t", "us-east-1");
    }

    /** Bedrock's InvokeModel is a write management event: a read-only trail, or one excluding Bedrock, misses it. */
    @Test
    void aTrailThatMissesBedrocksCallsIsRed() {
        assertThat(AccountPostureCheck.trail(List.of(trail("r", true, true, ManagementEvents.READ_ONLY, false, null)))
                .status()).isEqualTo(Status.RED);
        assertThat(AccountPostureCheck.trail(List.of(trail("n", true, true, ManagementEvents.NONE, false, null)))
                .evidenceKey()).isEqualTo("posture.trail.noManagementEvents");
        assertThat(AccountPostureCheck.trail(List.of(trail("x", true, true, ManagementEvents.ALL, true, null)))
                .evidenceKey()).isEqualTo("posture.trail.bedrockExcluded");
        assertThat(AccountPostureCheck.trail(List.of(trail("w", true, true, ManagementEvents.WRITE_ONLY, false,
                null))).status()).isEqualTo(Status.GREEN);
    }

    @Test
    void aSingleRegionTrailOrAFailingDeliveryNeedsAttention() {
        assertThat(AccountPostureCheck.trail(List.of(trail("s", false, true, ManagementEvents.ALL, false, null)))
                .fixKey()).isEqualTo("posture.fix.trail.multiRegion");
        Check failing = AccountPostureCheck.trail(List.of(trail("d", true, true, ManagementEvents.ALL, false,
                "AccessDenied")));
        assertThat(failing.status()).isEqualTo(Status.AMBER);
        assertThat(failing.evidenceArgs()).contains("AccessDenied");
    }

    @Test
    void credentialsOfARoleAreFineOfAUserAttentionOfRootRed() {
        assertThat(AccountPostureCheck.credentials(new Credentials(CredentialKind.ROLE, "arn:aws:sts::1:assumed-role/p/s"))
                .status()).isEqualTo(Status.GREEN);
        assertThat(AccountPostureCheck.credentials(new Credentials(CredentialKind.IAM_USER, "arn:aws:iam::1:user/p"))
                .status()).isEqualTo(Status.AMBER);
        assertThat(AccountPostureCheck.credentials(new Credentials(CredentialKind.ROOT, "arn:aws:iam::1:root"))
                .status()).isEqualTo(Status.RED);
    }

    @Test
    void aRefusedQuestionIsUnknownAndNamesTheActionToGrant() {
        Check c = AccountPostureCheck.unknown(Item.INVOCATION_LOGGING, new CloudException(
                CloudException.Kind.ACCESS_DENIED, "GetModelInvocationLoggingConfiguration", "AccessDeniedException"));
        assertThat(c.status()).isEqualTo(Status.UNKNOWN);
        assertThat(c.fixArgs()).containsExactly("bedrock:GetModelInvocationLoggingConfiguration");
        Check down = AccountPostureCheck.unknown(Item.CLOUDTRAIL, new CloudException(CloudException.Kind.TRANSIENT,
                "DescribeTrails", "Rate exceeded"));
        assertThat(down.status()).isEqualTo(Status.UNKNOWN);
        assertThat(down.evidenceKey()).isEqualTo("posture.unknown.failed");
    }

    @Test
    void theAccountIdComesFromTheCallersArn() {
        assertThat(AccountPostureCheck.accountOf("arn:aws:sts::123456789012:assumed-role/p/s", "?"))
                .isEqualTo("123456789012");
        assertThat(AccountPostureCheck.accountOf("nonsense", "?")).isEqualTo("?");
    }
}
