package com.bedrockportal.request;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.provisioning.PolicyBuilder;
import com.bedrockportal.provisioning.PolicySize;
import com.bedrockportal.provisioning.Provisioner;
import com.bedrockportal.shared.FieldErrors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationEventPublisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * A draft that never passed through the form (a crafted server call) is refused by the service with field messages,
 * and nothing is stored, audited or started.
 */
class RequestServiceValidationTest {

    final RequestRepository repository = mock(RequestRepository.class);
    final BusinessUnitService units = mock(BusinessUnitService.class);
    final ModelCatalog catalog = mock(ModelCatalog.class);
    final CurrentUser currentUser = mock(CurrentUser.class);
    final AuditLog audit = mock(AuditLog.class);
    final ApplicationEventPublisher events = mock(ApplicationEventPublisher.class);
    final Provisioner provisioner = mock(Provisioner.class);
    RequestService service;

    @BeforeEach
    void setUp() {
        when(currentUser.get()).thenReturn(Optional.of(new CurrentUser.Principal("alice", "Alice", "alice@example.com",
                Set.of(PortalRole.REQUESTER))));
        when(units.unitsOf("alice")).thenReturn(List.of(RequestRulesTest.MARKETING));
        when(catalog.byId()).thenReturn(RequestRulesTest.CATALOG);
        when(repository.findBySubmissionKey(anyString())).thenReturn(Optional.empty());
        when(provisioner.accountId()).thenReturn(RequestRulesTest.ACCOUNT);
        service = new RequestService(repository, units, catalog, RequestRulesTest.PROPS, provisioner,
                currentUser, audit, events, RequestRulesTest.RULES, mock(ApplicationService.class),
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), mock(Standings.class), RISK, risks);
    }

    /** The organisation caps key age at 60 days, below the portal's own 90. */
    static final RiskProperties RISK = new RiskProperties(60, new java.math.BigDecimal("5"), false);
    final RequestRisks risks = mock(RequestRisks.class);

    @Test
    void aRangeThatAllowsEveryAddressIsRefusedNextToTheField() {
        for (String everything : List.of("0.0.0.0/0", "::/0")) {
            RequestDraft draft = RequestRulesTest.draft();
            draft.setSourceCidrs("203.0.113.0/24\n" + everything);
            assertThatThrownBy(() -> service.submit(draft)).isInstanceOfSatisfying(FieldErrors.class,
                    e -> assertThat(e.errors()).containsOnlyKeys("sourceCidrs").containsEntry("sourceCidrs", "'"
                            + everything + "' allows every address; leave the field empty instead, or name your networks."));
        }
        verify(repository, never()).insert(any(), anyBoolean(), any(), any(), any());
        verifyNoInteractions(audit, events, risks);
    }

    @Test
    void aLifetimeOverTheOrganisationsMaximumIsRefusedThoughThePortalWouldAllowIt() {
        RequestDraft draft = RequestRulesTest.draft();
        draft.setLifetimeDays(61);
        assertThatThrownBy(() -> service.submit(draft)).isInstanceOfSatisfying(FieldErrors.class,
                e -> assertThat(e.errors()).containsOnlyKeys("lifetimeDays")
                        .containsEntry("lifetimeDays", "The key lifetime must be 1 to 60 days."));
        verifyNoInteractions(audit, events, risks);
    }

    @Test
    void aMalformedOrOverlongGuardrailIsRefused() {
        for (String bad : List.of("my-guardrail", "arn:aws:bedrock:us-east-1:123456789012:guardrail/ABC",
                "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc" + "1".repeat(300),
                "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc\"}]}")) {
            RequestDraft draft = RequestRulesTest.draft();
            draft.setGuardrailArn(bad);
            assertThatThrownBy(() -> service.submit(draft)).as(bad).isInstanceOfSatisfying(FieldErrors.class,
                    e -> assertThat(e.errors()).containsOnlyKeys("guardrailArn"));
        }
        verifyNoInteractions(audit, events, risks);
    }

    @Test
    void volumeOutOfRangeIsRefused() {
        RequestDraft draft = RequestRulesTest.draft();
        draft.setRequestsPerDay(-1);
        draft.setInputTokensPerRequest(RequestDraft.MAX_TOKENS_PER_REQUEST + 1);
        draft.setOutputTokensPerRequest(Integer.MAX_VALUE);
        assertThatThrownBy(() -> service.submit(draft)).isInstanceOfSatisfying(FieldErrors.class,
                e -> assertThat(e.errors()).containsOnlyKeys("requestsPerDay", "inputTokensPerRequest",
                        "outputTokensPerRequest"));
        verifyNoInteractions(audit, events, risks);
    }

    @Test
    void aWellFormedGuardrailAndVolumeAreStoredWithTheRequest() {
        when(repository.insert(any(), anyBoolean(), any(), any(), any())).thenReturn(7L);
        when(repository.find(7L)).thenThrow(new IllegalStateException("stored"));
        RequestDraft draft = RequestRulesTest.draft();
        draft.setGuardrailArn(" arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123def456:1 ");
        draft.setRequestsPerDay(1000);
        draft.setInputTokensPerRequest(500);
        draft.setOutputTokensPerRequest(200);
        assertThatThrownBy(() -> service.submit(draft)).hasMessage("stored");
        verify(risks).insert(7L, new RequestRisks.Risk("arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123def456:1",
                1000, 500, 200), null);
    }

    @Test
    void badFieldsAreRefusedWithTheirMessagesAndNothingIsStored() {
        RequestDraft draft = RequestRulesTest.draft();
        draft.setPurpose("x".repeat(100_000));
        draft.setSourceCidrs(IntStream.range(0, 10_000).mapToObj(i -> "10.0.0." + (i % 256) + "/32")
                .collect(Collectors.joining("\n")));
        draft.setModels(List.of("acme.unknown-v1"));
        draft.setBusinessUnitId(99L);

        assertThatThrownBy(() -> service.submit(draft)).isInstanceOfSatisfying(FieldErrors.class,
                e -> assertThat(e.errors()).containsOnlyKeys("purpose", "sourceCidrs", "models", "businessUnitId")
                        .containsEntry("purpose", "At most 2000 characters.")
                        .containsEntry("sourceCidrs", "At most 20 ranges (1040 characters).")
                        .containsEntry("models", "'acme.unknown-v1' is not in the model catalog.")
                        .containsEntry("businessUnitId",
                                "You can only request access for a business unit you are a member of."));
        verify(repository, never()).insert(any(), anyBoolean(), any(), any(), any());
        verify(repository, never()).addEvent(any(Long.class), any(), any(), any(), any());
        verifyNoInteractions(audit, events);
    }

    @Test
    void anOversizedSubmissionKeyIsRefusedBeforeAnyLookUp() {
        RequestDraft draft = RequestRulesTest.draft();
        draft.setSubmissionKey("k".repeat(10_000));
        assertThatThrownBy(() -> service.submit(draft)).isInstanceOfSatisfying(FieldErrors.class,
                e -> assertThat(e.errors()).containsOnlyKeys("form"));
        verify(repository, never()).findBySubmissionKey(anyString());
        verifyNoInteractions(audit, events);
    }

    /**
     * The policy is measured with the account id provisioning puts in its ARNs (12 digits, like every AWS account):
     * a policy that would fit with a shorter id is refused, so it cannot pass here and then fail in provisioning.
     */
    @Test
    void thePolicyIsMeasuredWithTheAccountIdProvisioningUses() {
        CatalogModel edge = RequestRulesTest.profileWithPolicyOf(PolicySize.INLINE_USER_POLICY_LIMIT + 1);
        assertThat(PolicyBuilder.measure(new PolicyBuilder.PolicyInput(List.of(edge), List.of("us-east-1"), List.of(),
                "12345678901")).fits()).isTrue();
        when(catalog.byId()).thenReturn(Map.of(edge.modelId(), edge));
        RequestDraft draft = RequestRulesTest.draft();
        draft.setModels(List.of(edge.modelId()));
        draft.setSourceCidrs("");

        assertThatThrownBy(() -> service.submit(draft)).isInstanceOfSatisfying(FieldErrors.class,
                e -> assertThat(e.errors()).containsOnlyKeys("models"));
        verify(provisioner).accountId();
        verify(repository, never()).insert(any(), anyBoolean(), any(), any(), any());
        verifyNoInteractions(audit, events);
    }

    @Test
    void aValidDraftReachesTheRepository() {
        when(repository.insert(any(), anyBoolean(), any(), any(), any())).thenThrow(new IllegalStateException("stored"));
        assertThatThrownBy(() -> service.submit(RequestRulesTest.draft())).isInstanceOf(IllegalStateException.class)
                .hasMessage("stored");
    }
}
