package com.bedrockportal.provisioning;

import java.util.List;
import java.util.Map;

import com.bedrockportal.provisioning.AccountPosture.ManagementEvents;
import com.bedrockportal.provisioning.AccountPosture.TagStatus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What both adapters of {@link AccountPosture} must do alike. */
public interface AccountPostureContract {

    AccountPosture accountPosture();

    /** Arranges one multi-region trail, logging, with all management events; returns its name. */
    String arrangeLoggingTrail();

    /** Arranges model invocation logging of {@code region} on (to CloudWatch Logs) or off. */
    void arrangeInvocationLogging(String region, boolean on);

    /** Arranges that Billing lists these keys as active cost-allocation tags. */
    void arrangeActiveTags(List<String> keys);

    @Test
    default void aLoggingMultiRegionTrailIsReportedWithItsManagementEvents() {
        String name = arrangeLoggingTrail();
        assertThat(accountPosture().trails()).anySatisfy(t -> {
            assertThat(t.name()).isEqualTo(name);
            assertThat(t.arn()).startsWith("arn:aws:cloudtrail:").endsWith(":trail/" + name);
            assertThat(t.logging()).isTrue();
            assertThat(t.multiRegion()).isTrue();
            assertThat(t.managementEvents()).isEqualTo(ManagementEvents.ALL);
            assertThat(t.bedrockExcluded()).isFalse();
        });
    }

    @Test
    default void invocationLoggingIsOffUntilADestinationIsSet() {
        arrangeInvocationLogging("us-west-2", false);
        assertThat(accountPosture().invocationLogging("us-west-2").enabled()).isFalse();
        arrangeInvocationLogging("us-west-2", true);
        AccountPosture.InvocationLogging on = accountPosture().invocationLogging("us-west-2");
        assertThat(on.enabled()).isTrue();
        assertThat(on.region()).isEqualTo("us-west-2");
        assertThat(on.logGroup()).isNotBlank();
    }

    @Test
    default void activeCostAllocationTagsAreReportedForTheKeysAsked() {
        arrangeActiveTags(List.of("business-unit", "application"));
        Map<String, TagStatus> statuses = accountPosture().costAllocationTags(List.of("business-unit", "application"));
        assertThat(statuses).containsEntry("business-unit", TagStatus.ACTIVE).containsEntry("application",
                TagStatus.ACTIVE);
    }

    @Test
    default void theCredentialsNameTheirKindAndIdentity() {
        AccountPosture.Credentials c = accountPosture().credentials();
        assertThat(c.kind()).isNotNull();
        assertThat(c.arn()).startsWith("arn:aws:");
    }
}
