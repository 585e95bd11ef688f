package com.bedrockportal.workflow;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestLifecycle;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.shared.FieldErrors;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Decisions on access requests: the inbox of managers and security, claiming, approving and rejecting. The rules
 * live here, not in the views: a decider must be an approver of the open stage, never the requester, and the
 * security reviewer is never the manager who approved; a rejection needs a comment; a decision on a stage someone
 * else already decided changes nothing and says who did.
 */
@Service
public class ApprovalService {

    /** Times in messages from the service: UTC, named as such (views show times in the user's zone). */
    static final DateTimeFormatter DECIDED_AT = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final TaskService tasks;
    private final RequestLifecycle requests;
    private final BusinessUnitService units;
    private final DecisionRepository decisions;
    private final CurrentUser currentUser;
    private final Clock clock;
    private final ProvisioningPreflight preflight;

    private final org.camunda.bpm.engine.RuntimeService runtime;

    ApprovalService(TaskService tasks, org.camunda.bpm.engine.RuntimeService runtime, RequestLifecycle requests,
            BusinessUnitService units, DecisionRepository decisions, CurrentUser currentUser,
            ProvisioningPreflight preflight, Clock clock) {
        this.runtime = runtime;
        this.preflight = preflight;
        this.tasks = tasks;
        this.requests = requests;
        this.units = units;
        this.decisions = decisions;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    /**
     * At most this many decisions are listed, the oldest: each row asks AWS whether it would provision (in {@code aws}
     * mode some twenty IAM calls), so the count is capped before that work. The home page's counts are not capped.
     */
    public static final int MAX_LISTED = 50;

    /**
     * The decisions waiting for the current user, the oldest {@value #MAX_LISTED}, oldest first. Each row's "will it
     * provision" may be up to {@link ProvisioningPreflight#LISTED_FOR} old; the decision asks again.
     */
    @RolesAllowed({ PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    @Transactional(readOnly = true)
    public List<PendingApproval> inbox() {
        CurrentUser.Principal me = me();
        List<PendingApproval> inbox = new ArrayList<>();
        List<Open> oldest = open(me).stream().sorted(java.util.Comparator.comparing(o -> o.task().getCreateTime()))
                .limit(MAX_LISTED).toList();
        for (Open o : oldest) {
            AccessRequest request = o.request();
            BusinessUnit unit = units.find(request.businessUnitId()).orElse(null);
            inbox.add(new PendingApproval(o.task().getId(), request.id(), o.stage(),
                    unit == null ? "?" : unit.displayName(), request.requester(), o.task().getCreateTime().toInstant(),
                    o.task().getAssignee(), riskFlags(request, unit), request.applicationName(), request.isChange(),
                    !RequestRoutes.securityReview(request), preflight.listedBlockers(request), request.models(),
                    request.monthlyBudget(), request.lifetimeDays(), request.renewal()));
        }
        inbox.sort((a, b) -> a.waitingSince().compareTo(b.waitingSince()));
        return inbox;
    }

    /** How many decisions of one stage wait for the current user, and since when the oldest waits (null if none). */
    public record Waiting(Stage stage, int count, Instant oldest) {
    }

    /**
     * The current user's inbox counted per stage (the same decisions {@link #inbox()} lists, without the checks
     * and flags it computes for each): for the home page.
     */
    @RolesAllowed({ PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    @Transactional(readOnly = true)
    public List<Waiting> waiting() {
        CurrentUser.Principal me = me();
        List<Open> open = open(me);
        List<Waiting> result = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            List<Instant> since = open.stream().filter(o -> o.stage() == stage)
                    .map(o -> o.task().getCreateTime().toInstant()).sorted().toList();
            result.add(new Waiting(stage, since.size(), since.isEmpty() ? null : since.get(0)));
        }
        return result;
    }

    private record Open(Task task, Stage stage, AccessRequest request) {
    }

    /**
     * The most open tasks of one stage read for a user (the oldest): the inbox lists {@value #MAX_LISTED} of them, the
     * home page counts up to this many.
     */
    public static final int MAX_OPEN = 1_000;

    /**
     * The open approval tasks the user may decide now, with their requests: at most {@value #MAX_OPEN} of each stage,
     * the oldest; their requests and manager decisions read in one statement each, whatever the backlog.
     */
    private List<Open> open(CurrentUser.Principal me) {
        Map<String, Task> open = new LinkedHashMap<>();
        if (me.has(PortalRole.MANAGER)) {
            tasks.createTaskQuery().processDefinitionKey(ProcessVariables.PROCESS_KEY)
                    .taskDefinitionKey(ProcessVariables.TASK_MANAGER_APPROVAL).taskCandidateUser(me.username())
                    .includeAssignedTasks().orderByTaskCreateTime().asc().listPage(0, MAX_OPEN)
                    .forEach(t -> open.put(t.getId(), t));
        }
        if (me.has(PortalRole.SECURITY)) {
            tasks.createTaskQuery().processDefinitionKey(ProcessVariables.PROCESS_KEY)
                    .taskDefinitionKey(ProcessVariables.TASK_SECURITY_REVIEW)
                    .taskCandidateGroup(ProcessVariables.SECURITY_GROUP).includeAssignedTasks()
                    .orderByTaskCreateTime().asc().listPage(0, MAX_OPEN).forEach(t -> open.put(t.getId(), t));
        }
        Map<String, Long> requestOfInstance = requestIds(open.values());
        List<Long> ids = requestOfInstance.values().stream().distinct().toList();
        Map<Long, AccessRequest> byId = requests.getAll(ids);
        Map<Long, String> managerApprovers = me.has(PortalRole.SECURITY) ? decisions.managerDeciders(ids) : Map.of();
        List<Open> result = new ArrayList<>();
        for (Task task : open.values()) {
            Long requestId = requestOfInstance.get(task.getProcessInstanceId());
            AccessRequest request = requestId == null ? null : byId.get(requestId);
            Stage stage = Stage.ofTask(task.getTaskDefinitionKey());
            if (request != null && refusal(me, request, stage, managerApprovers.get(request.id())) == null) {
                result.add(new Open(task, stage, request));
            }
        }
        return result;
    }

    /** The stage the current user could decide on now, if any. */
    @PermitAll
    @Transactional(readOnly = true)
    public Optional<Stage> decidableStage(long requestId) {
        CurrentUser.Principal me = me();
        Optional<Task> task = openTask(requestId);
        Optional<AccessRequest> request = requests.get(requestId);
        if (task.isEmpty() || request.isEmpty()) {
            return Optional.empty();
        }
        Stage stage = Stage.ofTask(task.get().getTaskDefinitionKey());
        return refusal(me, request.get(), stage) == null ? Optional.of(stage) : Optional.empty();
    }

    /** Why the current user cannot decide the open stage now, or empty when they can (or nothing is open). */
    @PermitAll
    @Transactional(readOnly = true)
    public Optional<String> whyNot(long requestId) {
        Optional<Task> task = openTask(requestId);
        Optional<AccessRequest> request = requests.get(requestId);
        if (task.isEmpty() || request.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(refusal(me(), request.get(), Stage.ofTask(task.get().getTaskDefinitionKey())));
    }

    /** The request's decisions, for those who may see the request (others, and unknown ids: none). */
    @PermitAll
    @Transactional(readOnly = true)
    public List<Decision> decisions(long requestId) {
        return visible(requestId).isPresent() ? decisions.all(requestId) : List.of();
    }

    /** The request's risk flags, for those who may see the request (others, and unknown ids: none). */
    @PermitAll
    @Transactional(readOnly = true)
    public List<RiskFlag> riskFlags(long requestId) {
        return visible(requestId).map(r -> riskFlags(r, units.find(r.businessUnitId()).orElse(null)))
                .orElse(List.of());
    }

    private Optional<AccessRequest> visible(long requestId) {
        CurrentUser.Principal me = me();
        return requests.get(requestId)
                .filter(r -> RequestService.canView(me, r, units.find(r.businessUnitId()).orElse(null)));
    }

    @RolesAllowed({ PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    @Transactional
    public void claim(String taskId) {
        Task task = task(taskId);
        AccessRequest request = requests.get(requestIdOf(task)).orElseThrow();
        String refusal = refusal(me(), request, Stage.ofTask(task.getTaskDefinitionKey()));
        if (refusal != null) {
            throw FieldErrors.of("form", refusal);
        }
        if (task.getAssignee() != null && !task.getAssignee().equals(me().username())) {
            throw FieldErrors.of("form", "Already claimed by " + task.getAssignee() + ".");
        }
        tasks.claim(taskId, me().username());
    }

    @RolesAllowed({ PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    @Transactional
    public void unclaim(String taskId) {
        Task task = task(taskId);
        if (me().username().equals(task.getAssignee())) {
            tasks.setAssignee(taskId, null);
        }
    }

    /**
     * Approves or rejects the open stage of a request as the current user.
     *
     * @throws FieldErrors with key {@code comment} when a rejection has no comment, or {@code form} when the user may
     *                     not decide or the stage was already decided ("already decided by …")
     */
    @RolesAllowed({ PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    @Transactional
    public Decision decide(long requestId, boolean approve, String comment) {
        return decide(requestId, null, approve, comment);
    }

    /**
     * As {@link #decide(long, boolean, String)}, but only when the open stage is {@code expected}: a button on a
     * message written for one stage (a chat message) never decides the next one.
     */
    @RolesAllowed({ PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
    @Transactional
    public Decision decide(long requestId, Stage expected, boolean approve, String comment) {
        CurrentUser.Principal me = me();
        String text = comment == null ? "" : comment.strip();
        if (!approve && text.isEmpty()) {
            throw FieldErrors.of("comment", "Say why you reject the request: the requester sees your comment.");
        }
        if (text.length() > 2000) {
            throw FieldErrors.of("comment", "At most 2000 characters.");
        }
        AccessRequest request = requests.lock(requestId)
                .orElseThrow(() -> FieldErrors.of("form", "This request does not exist."));
        Optional<Task> open = openTask(requestId);
        if (open.isEmpty()) {
            throw FieldErrors.of("form", alreadyDecided(request));
        }
        Task task = open.get();
        Stage stage = Stage.ofTask(task.getTaskDefinitionKey());
        if (expected != null && stage != expected) {
            throw FieldErrors.of("form", "The " + expected.name().toLowerCase(Locale.ROOT) + " stage of request #"
                    + requestId + " is decided; it now waits for " + stage.name().toLowerCase(Locale.ROOT)
                    + " review. Nothing was changed.");
        }
        String refusal = refusal(me, request, stage);
        if (refusal != null && stage == Stage.SECURITY && !me.has(PortalRole.SECURITY)
                && refusal(me, request, Stage.MANAGER) == null) {
            // A manager acting on a page that still showed the manager stage: tell them who decided it.
            throw FieldErrors.of("form", alreadyDecided(request));
        }
        if (refusal != null) {
            throw FieldErrors.of("form", refusal);
        }
        if (task.getAssignee() != null && !task.getAssignee().equals(me.username())) {
            throw FieldErrors.of("form", "Claimed by " + task.getAssignee() + ": only they can decide, or they "
                    + "can release it.");
        }
        if (approve) {
            // "Will it provision", asked again now: the account may have changed since the page was shown.
            List<String> blockers = preflight.blockers(request);
            if (!blockers.isEmpty()) {
                throw FieldErrors.of("form", "It cannot be approved now, it would not provision: "
                        + String.join(" ", blockers) + " Nothing was changed; reject it or wait until it is fixed.");
            }
        }
        Decision decision = new Decision(requestId, stage, me.username(), approve, text.isEmpty() ? null : text,
                clock.instant(), stage.role().name());
        try {
            decisions.insert(decision);
        } catch (DuplicateKeyException raced) {
            // Not reachable while the row lock above holds; the transaction is unusable here, so no look-up.
            throw FieldErrors.of("form", "Someone else decided this stage a moment ago. Nothing was changed.");
        }
        RequestStatus from = stage == Stage.MANAGER ? RequestStatus.PENDING_MANAGER : RequestStatus.PENDING_SECURITY;
        RequestStatus to = !approve ? RequestStatus.REJECTED
                : stage == Stage.MANAGER && RequestRoutes.securityReview(request) ? RequestStatus.PENDING_SECURITY
                : RequestStatus.APPROVED;
        if (!requests.transition(requestId, List.of(from), to, me.username(),
                stage.name() + (approve ? "_APPROVED" : "_REJECTED"), decision.comment())) {
            throw FieldErrors.of("form", alreadyDecided(request));
        }
        try {
            tasks.complete(task.getId(), Map.of(stage.variable(), approve));
        } catch (OptimisticLockingException raced) {
            throw FieldErrors.of("form", alreadyDecided(request));
        }
        return decision;
    }

    private String alreadyDecided(AccessRequest request) {
        List<Decision> made = decisions.all(request.id());
        if (!made.isEmpty()) {
            Decision last = made.get(made.size() - 1);
            return "Already decided by " + last.decidedBy() + " on " + DECIDED_AT.format(last.decidedAt()) + " ("
                    + (last.approved() ? "approved" : "rejected") + "). Nothing was changed.";
        }
        return "This request is " + request.status().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + "; there is nothing to decide. Nothing was changed.";
    }

    /** Null when the user may decide this stage of the request; otherwise the reason. */
    private String refusal(CurrentUser.Principal me, AccessRequest request, Stage stage) {
        return refusal(me, request, stage, stage == Stage.SECURITY ? decisions.find(request.id(), Stage.MANAGER)
                .map(Decision::decidedBy).orElse(null) : null);
    }

    /** Why {@code me} may not decide {@code request} at {@code stage}, if not; {@code managerApprover}: who did. */
    private String refusal(CurrentUser.Principal me, AccessRequest request, Stage stage, String managerApprover) {
        if (request.requester().equals(me.username())) {
            return "You submitted this request, so you cannot decide on it.";
        }
        if (stage == Stage.MANAGER) {
            BusinessUnit unit = units.find(request.businessUnitId()).orElse(null);
            if (!me.has(PortalRole.MANAGER) || unit == null || !unit.managers().contains(me.username())) {
                return "Only a manager of the request's business unit approves at this stage.";
            }
            return null;
        }
        if (!me.has(PortalRole.SECURITY)) {
            return "Only the security team reviews at this stage.";
        }
        if (me.username().equals(managerApprover)) {
            return "You approved this request as its manager; another member of the security team must review it.";
        }
        return null;
    }

    private List<RiskFlag> riskFlags(AccessRequest request, BusinessUnit unit) {
        Set<String> usual = new HashSet<>();
        requests.ofUnit(request.businessUnitId(), RequestStatus.APPROVED).stream()
                .filter(r -> r.id() != request.id()).forEach(r -> usual.addAll(r.models()));
        return RiskFlags.of(request, unit, usual);
    }

    private Optional<Task> openTask(long requestId) {
        return tasks.createTaskQuery().processDefinitionKey(ProcessVariables.PROCESS_KEY)
                .processInstanceBusinessKey(RequestWorkflow.businessKey(requestId)).list().stream().findFirst();
    }

    private Task task(String taskId) {
        Task task = tasks.createTaskQuery().taskId(taskId).singleResult();
        if (task == null) {
            throw FieldErrors.of("form", "This task no longer exists: the request was decided, withdrawn or expired.");
        }
        return task;
    }

    /** The request id of each task's process instance, read in one query. */
    private Map<String, Long> requestIds(java.util.Collection<Task> open) {
        if (open.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> ids = new java.util.HashMap<>();
        runtime.createVariableInstanceQuery().variableName(ProcessVariables.REQUEST_ID)
                .processInstanceIdIn(open.stream().map(Task::getProcessInstanceId).distinct().toArray(String[]::new))
                .list().forEach(v -> ids.put(v.getProcessInstanceId(), ((Number) v.getValue()).longValue()));
        return ids;
    }

    private long requestIdOf(Task task) {
        return ((Number) tasks.getVariable(task.getId(), ProcessVariables.REQUEST_ID)).longValue();
    }

    private CurrentUser.Principal me() {
        return currentUser.get().orElseThrow(() -> new IllegalStateException("no logged-in user"));
    }
}
