package com.bedrockportal.workflow;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.DataClassification;
import com.bedrockportal.request.RequestStatus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * The inbox's "will it provision" per row: rendering the list again within a minute reuses the answer for the same,
 * unchanged request instead of asking AWS again; a request changed since is asked again.
 */
class ProvisioningPreflightListedTest {

    private static AccessRequest request(Instant updatedAt) {
        return new AccessRequest(7, 1, "alice", "purpose", List.of("amazon.nova-lite-v1:0"), List.of("us-east-1"),
                List.of(), 30, new BigDecimal("100"), 80, List.of("alice@example.com"), false, "alice@example.com",
                DataClassification.INTERNAL, RequestStatus.PENDING_SECURITY, updatedAt, updatedAt, null, "app",
                "App", AccessRequest.Kind.NEW, true, true, null, false);
    }

    @Test
    void theListReusesAnAnswerForAnUnchangedRequestAndAsksAgainForAChangedOne() {
        ProvisioningPreflight preflight = spy(new ProvisioningPreflight(null, null, null, mock(
                com.bedrockportal.provisioning.Provisioner.class), null, null, null, null, null, null, null));
        Instant t = Instant.parse("2026-12-04T10:00:00Z");
        AccessRequest r = request(t);
        doReturn(List.of("2 of 2 key slots in use")).when(preflight).blockers(r);
        assertThat(preflight.listedBlockers(r)).containsExactly("2 of 2 key slots in use");
        assertThat(preflight.listedBlockers(r)).containsExactly("2 of 2 key slots in use");
        verify(preflight, times(1)).blockers(r);

        AccessRequest changed = request(t.plusSeconds(1));
        doReturn(List.of()).when(preflight).blockers(changed);
        assertThat(preflight.listedBlockers(changed)).isEmpty();
        verify(preflight, times(1)).blockers(changed);
    }
}
