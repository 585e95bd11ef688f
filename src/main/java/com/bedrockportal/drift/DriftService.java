package com.bedrockportal.drift;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.drift.DriftFinding.Action;
import com.bedrockportal.drift.DriftFinding.Kind;
import com.bedrockportal.drift.DriftFinding.Resolution;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.SecurityEvents;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.KeyStatus;
import com.bedrockportal.provisioning.AppliedPolicies;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.provisioning.UserPolicies;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import jakarta.annotation.security.RolesAllowed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * AWS drift for security: the open findings, "Check now", and the actions on a finding — adopt a key created outside
 * the portal (or AWS's disabled/deleted state of a portal key), re-apply the portal's policy, disable a key in AWS.
 * Every action is security's alone (checked here as well as by method security), needs a reason of at most 500
 * characters, re-reads AWS first (the finding may be stale: then nothing is done and the finding is resolved), is
 * audited, and never stores or shows a key: an adopted key has no secret in the portal.
 */
@Service
public class DriftService {

    public static final String AUDIT_CHECKED = "DRIFT_CHECKED";
    public static final String AUDIT_ACTION = "DRIFT_ACTION";
    public static final int MAX_REASON = 500;

    /** What one run did. */
    public record Outcome(int usersChecked, boolean truncated, int newFindings, int openFindings, int resolved,
            int failedUsers, Duration took) {
    }

    /** The last run: when it finished, who triggered it ("schedule" or a user), what it found. */
    public record LastRun(Instant finishedAt, String triggeredBy, Outcome outcome) {
    }

    /** The action is not allowed or no longer fits what AWS has; the message is for the user. */
    public static class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(DriftService.class);

    private final DriftRepository repository;
    private final Reconciliation reconciliation;
    private final ApplicationService applications;
    private final ApiKeys keys;
    private final ServiceCredentials credentials;
    private final UserPolicies policies;
    private final AppliedPolicies applied;
    private final ExpectedPolicy expected;
    private final DriftSettings settings;
    private final CurrentUser currentUser;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final FormValidation texts;
    private final Clock clock;

    DriftService(DriftRepository repository, Reconciliation reconciliation, ApplicationService applications,
            ApiKeys keys, ServiceCredentials credentials, UserPolicies policies, AppliedPolicies applied,
            ExpectedPolicy expected, DriftSettings settings, CurrentUser currentUser, AuditLog audit,
            ApplicationEventPublisher events, FormValidation texts, Clock clock) {
        this.repository = repository;
        this.reconciliation = reconciliation;
        this.applications = applications;
        this.keys = keys;
        this.credentials = credentials;
        this.policies = policies;
        this.applied = applied;
        this.expected = expected;
        this.settings = settings;
        this.currentUser = currentUser;
        this.audit = audit;
        this.events = events;
        this.texts = texts;
        this.clock = clock;
    }

    /** The most open findings the page lists (the last run's line counts them all). */
    public static final int MAX_LISTED = 500;

    /** The open findings seen last, newest first, at most {@value #MAX_LISTED} (security and admins). */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    @Transactional(readOnly = true)
    public List<DriftFinding> openFindings() {
        return repository.open(MAX_LISTED);
    }

    /**
     * The open findings of these kinds, oldest first, at most {@code max}: for the alert rules, which run without a
     * user (the schedule) and show what they raise to security only. Read-only; names no secret.
     */
    @Transactional(readOnly = true)
    public List<DriftFinding> openOfKinds(java.util.Set<Kind> kinds, int max) {
        return kinds.isEmpty() ? List.of() : repository.open(kinds, max);
    }

    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    @Transactional(readOnly = true)
    public Optional<LastRun> lastRun() {
        return repository.lastRun();
    }

    /**
     * Runs a reconciliation now, as the current user. @throws Refused when one is running already (it ends soon;
     * its findings appear then).
     */
    @RolesAllowed(PortalRole.SECURITY_ROLE)
    public Outcome checkNow() {
        String me = security("check");
        Outcome outcome = reconciliation.run(me);
        if (outcome == null) {
            throw new Refused(texts.text("drift.busy"));
        }
        return outcome;
    }

    /**
     * Takes an action on an open finding after re-reading AWS. @return the finding as it ends. @throws Refused when
     * the action does not fit the finding or AWS's state now (the finding is then resolved if the drift is gone),
     * or AWS refused or did not answer.
     */
    @RolesAllowed(PortalRole.SECURITY_ROLE)
    @Transactional(noRollbackFor = Refused.class)
    public DriftFinding act(long findingId, Action action, String reason) {
        String me = security(action.name() + " drift-finding:" + findingId);
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw FieldErrors.of("reason", texts.text("keyaction.reason.required"));
        }
        if (why.length() > MAX_REASON) {
            throw FieldErrors.of("reason", texts.text("keyaction.reason.long", MAX_REASON));
        }
        DriftFinding f = repository.lock(findingId).filter(DriftFinding::open)
                .orElseThrow(() -> new Refused(texts.text("drift.refused.closed")));
        if (!f.actions().contains(action)) {
            throw new Refused(texts.text("drift.refused.action"));
        }
        Resolution resolution;
        String observed;
        try {
            switch (f.kind()) {
                case KEY_OUTSIDE_PORTAL -> {
                    ServiceCredentials.ServiceCredential c = credential(f);
                    if (action == Action.ADOPT) {
                        adoptKey(f, c, why, me);
                        resolution = Resolution.ADOPTED;
                        observed = c.status();
                    } else {
                        credentials.updateServiceCredentialStatus(f.iamUser(), f.resource(), false);
                        resolution = Resolution.DISABLED;
                        observed = "Inactive";
                    }
                }
                case KEY_REENABLED_IN_AWS -> {
                    ServiceCredentials.ServiceCredential c = credential(f);
                    ApiKey k = portalKey(f);
                    if (!"Active".equals(c.status()) || k.status() != KeyStatus.INACTIVE) {
                        throw gone(f);
                    }
                    credentials.updateServiceCredentialStatus(f.iamUser(), f.resource(), false);
                    resolution = Resolution.DISABLED;
                    observed = "Inactive";
                }
                case KEY_DISABLED_IN_AWS -> {
                    ServiceCredentials.ServiceCredential c = credential(f);
                    ApiKey k = portalKey(f);
                    if (!"Inactive".equals(c.status()) || !keys.markInactive(k.id(), k.status(),
                            texts.text("drift.reason.disabledInAws", why), me)) {
                        throw gone(f);
                    }
                    resolution = Resolution.ADOPTED;
                    observed = c.status();
                }
                case KEY_DELETED_IN_AWS -> {
                    ApiKey k = portalKey(f);
                    if (credentials.listServiceCredentials(f.iamUser(), ServiceCredentials.BEDROCK_SERVICE).stream()
                            .anyMatch(c -> c.credentialId().equals(f.resource()))
                            || !keys.markDeletedInAws(k.id(), k.status(), texts.text("drift.reason.deletedInAws",
                                    why), me)) {
                        throw gone(f);
                    }
                    resolution = Resolution.ADOPTED;
                    observed = "absent";
                }
                case POLICY_EDITED, POLICY_MISSING -> {
                    Application app = application(f);
                    String policy = expected.policy(app, expected.account());
                    Optional<String> now = policies.findUserPolicy(f.iamUser(), settings.policyName());
                    if (now.isPresent() && PolicyJson.same(now.get(), policy)) {
                        throw gone(f);
                    }
                    policies.putUserPolicy(f.iamUser(), settings.policyName(), policy);
                    applied.recordRepair(app.id(), f.iamUser(), settings.policyName(), policy, me);
                    resolution = Resolution.REAPPLIED;
                    observed = "reapplied";
                }
                default -> throw new Refused(texts.text("drift.refused.action"));
            }
        } catch (CloudException e) {
            log.warn("Drift action on finding {} refused by AWS ({}): {}", f.id(), e.kind(), e.getMessage());
            throw new Refused(e.business() ? texts.text("keyaction.aws.refused", e.getMessage())
                    : texts.text("keyaction.aws.transient"));
        }
        repository.resolve(f.id(), resolution, me, why, observed, clock.instant());
        audit.record(me, AUDIT_ACTION, "drift-finding:" + f.id(), action.name() + " " + f.kind().name() + " "
                + f.resource() + " of " + f.iamUser() + " → " + resolution.name() + ", reason: " + why);
        log.info("Drift finding {} ({} {}) {} by {}", f.id(), f.kind(), f.resource(), resolution, me);
        return repository.find(f.id()).orElseThrow();
    }

    private void adoptKey(DriftFinding f, ServiceCredentials.ServiceCredential c, String why, String me) {
        Application app = application(f);
        if (keys.knownCredentialIds(f.iamUser()).contains(c.credentialId())) {
            // Recorded once and revoked or deleted by the portal: only disabling fits.
            throw new Refused(texts.text("drift.refused.revokedKey"));
        }
        keys.adopt(app.businessUnitId(), app.id(), f.iamUser(), c.credentialId(), "Active".equals(c.status()),
                c.createdAt(), c.expiresAt(), texts.text("drift.reason.adopted", why), me);
    }

    /** The credential as AWS has it now; the finding is resolved if it is gone. */
    private ServiceCredentials.ServiceCredential credential(DriftFinding f) {
        return credentials.listServiceCredentials(f.iamUser(), ServiceCredentials.BEDROCK_SERVICE).stream()
                .filter(c -> c.credentialId().equals(f.resource())).findFirst().orElseThrow(() -> gone(f));
    }

    private ApiKey portalKey(DriftFinding f) {
        return keys.ofIamUser(f.iamUser()).stream().filter(k -> k.credentialId().equals(f.resource())).findFirst()
                .orElseThrow(() -> gone(f));
    }

    private Application application(DriftFinding f) {
        return applications.activeOfIamUser(f.iamUser())
                .orElseThrow(() -> new Refused(texts.text("drift.refused.noApplication")));
    }

    /** AWS no longer shows this drift: nothing to do; the finding is resolved (kept by noRollbackFor). */
    private Refused gone(DriftFinding f) {
        repository.resolve(f.id(), Resolution.AUTO, null, null, null, clock.instant());
        return new Refused(texts.text("drift.refused.gone"));
    }

    /** Security only, checked here too; a refusal of a logged-in user is audited. */
    private String security(String target) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        if (!me.has(PortalRole.SECURITY)) {
            events.publishEvent(new SecurityEvents.AccessDenied(me.username(), target));
            throw new Refused(texts.text("drift.refused.securityOnly"));
        }
        return me.username();
    }

    /** The kinds in the order the view explains them. */
    public static List<Kind> kinds() {
        return List.of(Kind.values());
    }
}
