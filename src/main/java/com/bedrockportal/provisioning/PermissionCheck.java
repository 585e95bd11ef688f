package com.bedrockportal.provisioning;

import java.util.List;
import java.util.Map;

/**
 * Port: whether the portal's own identity may do the actions it needs ({@link PortalPermissions}); the AWS connection
 * page asks. Implemented by the AWS SDK adapter and the simulated account, held to {@code PermissionCheckContract}.
 */
public interface PermissionCheck {

    /** Of these actions, the ones the caller's identity is not allowed (IAM policy simulation); empty when all are. */
    List<String> deniedActions(List<String> actions);

    // --- "will it provision": the policy a request would get, simulated before anyone approves

    /** One case a policy is simulated on: an action on a resource, with the request's condition keys. */
    record SimulationCase(String action, String resourceArn, Map<String, String> context) {
    }

    /**
     * Of these cases, the ones the given identity policy does not allow (IAM SimulateCustomPolicy, one call per case:
     * each has its own context); empty when it allows them all.
     */
    List<SimulationCase> notAllowedBy(String policyJson, List<SimulationCase> cases);
}
