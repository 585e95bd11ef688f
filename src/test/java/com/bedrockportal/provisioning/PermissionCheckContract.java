package com.bedrockportal.provisioning;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.bedrockportal.catalog.CatalogModel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What both adapters of {@link PermissionCheck} must do alike. */
public interface PermissionCheckContract {

    PermissionCheck permissionCheck();

    /**
     * Arranges, as far as the adapter's account can be made to, that its identity may not do some of these actions,
     * and returns those, in the order asked (empty where the account allows everything).
     */
    List<String> refuseSomeOf(List<String> actions);

    /**
     * Arranges, as far as the adapter's account can be made to, that the simulation of {@code policy} refuses some of
     * the cases, and returns those (the simulated account evaluates the policy itself: it returns what it should refuse).
     */
    List<PermissionCheck.SimulationCase> refuseSomeCases(String policy, List<PermissionCheck.SimulationCase> cases);

    /** A policy for Nova Lite in us-east-1 from one range: the same model in another region is not allowed. */
    @Test
    default void aPolicyIsSimulatedCaseByCaseWithTheRequestsRegionAndAddress() {
        CatalogModel nova = new CatalogModel(1, "amazon.nova-lite-v1:0", "Amazon", "Nova Lite",
                CatalogModel.Kind.FOUNDATION_MODEL, null,
                "arn:aws:bedrock:{region}::foundation-model/amazon.nova-lite-v1:0", List.of("us-east-1", "eu-west-1"),
                true, Instant.EPOCH);
        String policy = PolicyBuilder.build(new PolicyBuilder.PolicyInput(List.of(nova), List.of("us-east-1"),
                List.of("203.0.113.0/24"), "123456789012"));
        Map<String, String> fromOffice = Map.of("aws:RequestedRegion", "us-east-1", "aws:SourceIp", "203.0.113.0");
        PermissionCheck.SimulationCase home = new PermissionCheck.SimulationCase("bedrock:InvokeModel",
                nova.arn("us-east-1", "123456789012"), fromOffice);
        PermissionCheck.SimulationCase abroad = new PermissionCheck.SimulationCase("bedrock:InvokeModel",
                nova.arn("eu-west-1", "123456789012"), Map.of("aws:RequestedRegion", "eu-west-1",
                        "aws:SourceIp", "203.0.113.0"));
        PermissionCheck.SimulationCase bearer = new PermissionCheck.SimulationCase("bedrock:CallWithBearerToken", "*",
                fromOffice);
        List<PermissionCheck.SimulationCase> cases = List.of(home, abroad, bearer);
        List<PermissionCheck.SimulationCase> refused = refuseSomeCases(policy, cases);
        assertThat(refused).containsExactly(abroad);
        assertThat(permissionCheck().notAllowedBy(policy, cases)).containsExactly(abroad);
    }

    @Test
    default void deniedActionsAreExactlyTheAskedOnesTheIdentityMayNotDo() {
        List<String> asked = List.of("iam:CreateUser", "budgets:ModifyBudget", "secretsmanager:CreateSecret");
        List<String> refused = refuseSomeOf(asked);
        assertThat(asked).containsAll(refused);
        assertThat(permissionCheck().deniedActions(asked)).containsExactlyElementsOf(refused);
    }
}
