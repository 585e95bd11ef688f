package com.bedrockportal.workflow;

import java.util.List;

import com.bedrockportal.application.Decommissions;

import org.springframework.stereotype.Component;

/**
 * The candidate users of a decommission's approval task: the managers of the application's unit except the person
 * who asked ({@code ${decommissionApprovers.managersOf(decommissionId)}}). Public with a public method: the
 * process's expression language reaches only public members.
 */
@Component("decommissionApprovers")
public class DecommissionApprovers {

    private final Decommissions decommissions;

    DecommissionApprovers(Decommissions decommissions) {
        this.decommissions = decommissions;
    }

    public List<String> managersOf(Object decommissionId) {
        return decommissions.approversOf(((Number) decommissionId).longValue());
    }
}
