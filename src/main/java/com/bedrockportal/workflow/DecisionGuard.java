package com.bedrockportal.workflow;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.bedrockportal.audit.AuditActions;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestLifecycle;
import com.bedrockportal.request.RequestStatus;

import org.springframework.stereotype.Component;

/**
 * What every step that touches AWS checks before it acts, whatever moved the process there: the request is in the
 * state the step expects, and both stages carry approving decision rows made through the approval service by
 * eligible, distinct people — a manager of the request's unit who is not the requester, then a security reviewer
 * who is neither the requester nor that manager. A change that widens nothing (judged again from the request's
 * recorded baseline, not from what was decided at submission) needs the manager's row only. A process pushed forward outside the portal (completed tasks,
 * changed variables) has no such rows and stops here with an audited security alert.
 */
@Component
class DecisionGuard {

    private final RequestLifecycle requests;
    private final DecisionRepository decisions;
    private final BusinessUnitService units;
    private final AuditLog audit;

    DecisionGuard(RequestLifecycle requests, DecisionRepository decisions, BusinessUnitService units, AuditLog audit) {
        this.requests = requests;
        this.decisions = decisions;
        this.units = units;
        this.audit = audit;
    }

    /** Why the request may not be acted on by a step expecting one of {@code expected}; empty when it may. */
    Optional<String> violation(AccessRequest request, Set<RequestStatus> expected) {
        Optional<String> decisions = decisionViolation(request);
        if (!expected.contains(request.status())) {
            return Optional.of("request is " + request.status() + ", expected " + expected
                    + decisions.map(d -> "; " + d).orElse(""));
        }
        return decisions;
    }

    private Optional<String> decisionViolation(AccessRequest request) {
        Optional<Decision> manager = decisions.find(request.id(), Stage.MANAGER);
        Optional<Decision> security = decisions.find(request.id(), Stage.SECURITY);
        if (manager.isEmpty() || !manager.get().approved()) {
            return Optional.of("no manager approval recorded by the portal");
        }
        Decision m = manager.get();
        BusinessUnit unit = units.find(request.businessUnitId()).orElse(null);
        if (!Stage.MANAGER.role().name().equals(m.decidedAs()) || unit == null
                || !unit.managers().contains(m.decidedBy())) {
            return Optional.of("manager approval by " + m.decidedBy() + ", who is not a manager of the unit");
        }
        if (!RequestRoutes.securityReview(request) && security.isEmpty()) {
            // A change that widens nothing (judged again from its recorded baseline): the manager's approval suffices.
            return m.decidedBy().equals(request.requester())
                    ? Optional.of("the requester approved their own request") : Optional.empty();
        }
        if (security.isEmpty() || !security.get().approved()) {
            return Optional.of("no security approval recorded by the portal");
        }
        Decision s = security.get();
        if (!Stage.SECURITY.role().name().equals(s.decidedAs())) {
            return Optional.of("security approval by " + s.decidedBy() + ", who did not decide as security");
        }
        if (m.decidedBy().equals(request.requester()) || s.decidedBy().equals(request.requester())) {
            return Optional.of("the requester approved their own request");
        }
        if (m.decidedBy().equals(s.decidedBy())) {
            return Optional.of("one person (" + m.decidedBy() + ") approved both stages");
        }
        if (s.decidedAt().isBefore(m.decidedAt())) {
            return Optional.of("security approval recorded before the manager's");
        }
        return Optional.empty();
    }

    /**
     * Records a violation: an audited security alert and a timeline entry on the request. With {@code stop} the
     * request also ends PROVISIONING_FAILED with the reason (the caller then raises the BPMN error).
     */
    String alert(long requestId, String step, String violation, boolean stop) {
        String reason = "Stopped by the portal's checks before " + step + ": " + violation
                + ". Nothing more is done in AWS for this request; security has been alerted.";
        audit.record(ApprovalDelegates.SYSTEM, AuditActions.SECURITY_ALERT, "request:" + requestId, step + ": "
                + violation);
        if (stop) {
            List<RequestStatus> any = List.of(RequestStatus.values()).stream()
                    .filter(s -> s != RequestStatus.PROVISIONING_FAILED).toList();
            if (!requests.transition(requestId, any, RequestStatus.PROVISIONING_FAILED, ApprovalDelegates.SYSTEM,
                    "PROVISIONING_FAILED", reason)) {
                requests.note(requestId, ApprovalDelegates.SYSTEM, "SECURITY_ALERT", reason);
            }
        } else {
            requests.note(requestId, ApprovalDelegates.SYSTEM, "SECURITY_ALERT", step + ": " + violation);
        }
        return reason;
    }
}
