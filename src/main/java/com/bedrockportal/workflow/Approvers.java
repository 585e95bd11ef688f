package com.bedrockportal.workflow;

import java.util.List;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.UserDirectory;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestLifecycle;

import org.springframework.stereotype.Component;

/**
 * Who may decide at each stage. Referenced by the process model ({@code ${approvers.managersOf(requestId)}}).
 * Nobody decides on their own request; the security reviewer is not the manager who approved.
 */
@Component("approvers")
public class Approvers {

    private final RequestLifecycle requests;
    private final BusinessUnitService units;
    private final UserDirectory directory;
    private final DecisionRepository decisions;

    Approvers(RequestLifecycle requests, BusinessUnitService units, UserDirectory directory,
            DecisionRepository decisions) {
        this.requests = requests;
        this.units = units;
        this.directory = directory;
        this.decisions = decisions;
    }

    /** The managers of the request's unit, except the requester. */
    public List<String> managersOf(Object requestId) {
        AccessRequest request = requests.get(((Number) requestId).longValue()).orElseThrow();
        BusinessUnit unit = units.find(request.businessUnitId()).orElseThrow();
        return unit.managers().stream().filter(m -> !m.equals(request.requester())).sorted().toList();
    }

    /** Security users known to the portal who may review this request. */
    List<String> securityReviewersOf(long requestId) {
        AccessRequest request = requests.get(requestId).orElseThrow();
        String managerApprover = decisions.find(requestId, Stage.MANAGER).map(Decision::decidedBy).orElse(null);
        return directory.withRole(PortalRole.SECURITY).stream().map(UserDirectory.KnownUser::username)
                .filter(u -> !u.equals(request.requester()) && !u.equals(managerApprover)).sorted().toList();
    }

    List<String> of(Stage stage, long requestId) {
        return stage == Stage.MANAGER ? managersOf(requestId) : securityReviewersOf(requestId);
    }
}
