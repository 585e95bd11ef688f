package com.bedrockportal.request;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.audit.AuditEntry;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.KeyStatus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class StandingsTest {

    private static final Instant NOW = Instant.parse("2026-06-10T12:00:00Z");

    private final ApiKeys keys = mock(ApiKeys.class);
    private final AuditLog audit = mock(AuditLog.class);
    private final ProvisioningDelays delays = mock(ProvisioningDelays.class);
    private final Standings standings = new Standings(keys, audit,
            new org.springframework.beans.factory.support.StaticListableBeanFactory(java.util.Map.of("delays", delays))
                    .getBeanProvider(ProvisioningDelays.class),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private final AccessRequest request = request(RequestStatus.PROVISIONED);

    private static AccessRequest request(RequestStatus status) {
        return new AccessRequest(7, 1, "alice", "purpose", List.of("amazon.nova-lite-v1:0"), List.of("us-west-2"),
                List.of(), 7, java.math.BigDecimal.TEN, 80, List.of(), false, "alice@example.com",
                DataClassification.INTERNAL, status, NOW, NOW, 2L, "app", "App", AccessRequest.Kind.NEW, true, true,
                null, false);
    }

    private ApiKey key(KeyStatus status, Instant expires, Instant revealedAt, String changedBy, Instant changedAt,
            String reason) {
        return new ApiKey(3, 7, 1, "u-app-bedrock", "cred", "ABSKabcdefgh", status, NOW.minusSeconds(86_400 * 3),
                expires, NOW.plusSeconds(3600), null, "alice", revealedAt, revealedAt == null ? null : "alice", false,
                reason, changedBy, changedAt, null, false);
    }

    @Test
    void aRevealedKeyIsInUseAndNoLongerRevealable() {
        Instant revealed = NOW.minusSeconds(600);
        given(keys.forRequest(7)).willReturn(Optional.of(key(KeyStatus.ACTIVE, NOW.plusSeconds(86_400), revealed,
                null, null, null)));
        Standing s = standings.of(request);
        assertThat(s.code()).isEqualTo("KEY_ACTIVE");
        assertThat(s.revealable()).isFalse();
        given(audit.timeline(anyString(), anyString(), anyInt())).willReturn(List.of());
        assertThat(standings.timeline(request, List.of())).extracting(TimelineEntry::type, TimelineEntry::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("KEY_REVEALED", "alice"));
    }

    @Test
    void aPendingKeyCanBeRevealedUntilItExpires() {
        given(keys.forRequest(7)).willReturn(Optional.of(key(KeyStatus.PENDING_REVEAL, NOW.plusSeconds(86_400),
                null, null, null, null)));
        assertThat(standings.of(request)).extracting(Standing::code, Standing::revealable)
                .containsExactly("PROVISIONED", true);
        given(keys.forRequest(7)).willReturn(Optional.of(key(KeyStatus.ACTIVE, NOW.minusSeconds(60),
                NOW.minusSeconds(86_400), null, null, null)));
        assertThat(standings.of(request).code()).isEqualTo("KEY_EXPIRED");
    }

    @Test
    void disabledRotatedAndRevokedKeysSaySo() {
        Instant disabled = NOW.minusSeconds(120);
        given(keys.forRequest(7)).willReturn(Optional.of(key(KeyStatus.INACTIVE, NOW.plusSeconds(86_400),
                NOW.minusSeconds(3600), "sara", disabled, "suspicious calls")));
        given(audit.timeline("key:3", "KEY_", 200)).willReturn(List.of(new AuditEntry(1, disabled, "sara",
                "KEY_DISABLED", "key:3", "key ABSKabcdefgh… of u (request 7), ACTIVE → INACTIVE, reason: suspicious "
                        + "calls", null, null, null)));
        assertThat(standings.of(request).code()).isEqualTo("KEY_DISABLED");
        List<TimelineEntry> timeline = standings.timeline(request, List.of());
        assertThat(timeline).extracting(TimelineEntry::type).containsExactly("KEY_REVEALED", "KEY_DISABLED");
        assertThat(timeline.get(1).comment()).isEqualTo("suspicious calls");

        given(keys.forRequest(7)).willReturn(Optional.of(key(KeyStatus.DELETED, NOW.plusSeconds(86_400),
                NOW.minusSeconds(3600), "rotation", disabled, "Deleted after rotation 4")));
        given(audit.timeline("key:3", "KEY_", 200)).willReturn(List.of());
        assertThat(standings.of(request).code()).isEqualTo("KEY_ROTATED");
        assertThat(standings.timeline(request, List.of())).extracting(TimelineEntry::type)
                .containsExactly("KEY_REVEALED", "KEY_ROTATED");

        given(keys.forRequest(7)).willReturn(Optional.of(key(KeyStatus.REVOKED, NOW.plusSeconds(86_400),
                NOW.minusSeconds(3600), "bob", disabled, "leaked")));
        assertThat(standings.of(request).code()).isEqualTo("KEY_REVOKED");
    }

    @Test
    void anIncidentInProvisioningReadsAsDelayed() {
        AccessRequest provisioning = request(RequestStatus.PROVISIONING);
        given(delays.delayed(7)).willReturn(true);
        assertThat(standings.of(provisioning)).extracting(Standing::code, Standing::tone)
                .containsExactly("DELAYED", Standing.Tone.WARNING);
    }
}
