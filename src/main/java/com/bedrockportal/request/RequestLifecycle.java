package com.bedrockportal.request;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.audit.AuditLog;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * How the approval workflow moves a request on. Called by the process engine's delegates and by the approval
 * service after it has checked the decider; not offered to views.
 */
@Service
public class RequestLifecycle {

    private final RequestRepository repository;
    private final AuditLog audit;
    private final Clock clock;
    private final RequestRisks risks;

    private final org.springframework.context.ApplicationEventPublisher events;

    RequestLifecycle(RequestRepository repository, AuditLog audit, Clock clock, RequestRisks risks,
            org.springframework.context.ApplicationEventPublisher events) {
        this.events = events;
        this.risks = risks;
        this.repository = repository;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public Optional<AccessRequest> get(long requestId) {
        return repository.find(requestId);
    }

    /** The guardrail the request's policy requires ({@code bedrock:GuardrailIdentifier}), if it names one. */
    @Transactional(readOnly = true)
    public Optional<String> guardrailOf(long requestId) {
        return Optional.ofNullable(risks.ofRequest(requestId).guardrailArn());
    }

    /**
     * Whether a change of the application submitted after {@code requestId} was approved, is being applied or was
     * applied: a failed change is then not put back over it.
     */
    @Transactional(readOnly = true)
    public boolean laterChangeUnderWay(long applicationId, long requestId) {
        return repository.laterChangeUnderWay(applicationId, requestId);
    }

    /** The requests of {@code ids} that exist, by id, read in one statement (for lists of tasks). */
    @Transactional(readOnly = true)
    public java.util.Map<Long, AccessRequest> getAll(java.util.Collection<Long> ids) {
        return repository.findAll(ids).stream().collect(java.util.stream.Collectors.toMap(AccessRequest::id,
                r -> r));
    }

    /** The application's last provisioned request: the one its resources' tags name. */
    @Transactional(readOnly = true)
    public Optional<Long> lastProvisionedOf(long applicationId) {
        return risks.lastProvisioned(applicationId);
    }

    /** The guardrail an application's policy requires now: that of its last provisioned request. */
    @Transactional(readOnly = true)
    public Optional<String> guardrailOfApplication(long applicationId) {
        return Optional.ofNullable(risks.ofApplication(applicationId).guardrailArn());
    }

    /**
     * Locks the request until the transaction ends, so that two decisions on it run one after the other and the
     * second sees the first.
     */
    @Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
    public Optional<AccessRequest> lock(long requestId) {
        repository.lock(requestId);
        return repository.find(requestId);
    }

    /** Records the application a request created (once: a replayed step changes nothing). */
    @Transactional
    public void linkApplication(long requestId, long applicationId) {
        repository.linkApplication(requestId, applicationId);
    }

    /** Requests of a unit with this status, e.g. its approved ones (to judge a unit's usual models). */
    @Transactional(readOnly = true)
    public List<AccessRequest> ofUnit(long businessUnitId, RequestStatus status) {
        return repository.byBusinessUnitAndStatus(businessUnitId, status);
    }

    /**
     * Moves a request from one of {@code from} to {@code to} and records the step on its timeline and in the audit
     * log. Returns false (and records nothing) when the request had already moved on.
     */
    @Transactional
    public boolean transition(long requestId, List<RequestStatus> from, RequestStatus to, String actor,
            String eventType, String comment) {
        java.time.Instant at = clock.instant();
        if (!repository.transition(requestId, from, to, at)) {
            return false;
        }
        repository.addEvent(requestId, at, actor, eventType, comment);
        audit.record(actor, "REQUEST_" + eventType, "request:" + requestId, comment);
        if (to == RequestStatus.PROVISIONED) {
            events.publishEvent(new RequestEvents.Provisioned(requestId, at));
        }
        return true;
    }

    @Transactional(readOnly = true)
    public List<TimelineEntry> timelineOf(long requestId) {
        return repository.timeline(requestId);
    }

    /** Records a step that does not change the status (e.g. a reminder). */
    @Transactional
    public void note(long requestId, String actor, String eventType, String comment) {
        repository.addEvent(requestId, clock.instant(), actor, eventType, comment);
        audit.record(actor, "REQUEST_" + eventType, "request:" + requestId, comment);
    }
}
