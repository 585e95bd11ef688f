package com.bedrockportal.workflow;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.UserDirectory;
import com.bedrockportal.notification.Notifier;
import com.bedrockportal.provisioning.AppliedPolicies;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.Provisioner;
import com.bedrockportal.provisioning.ProvisioningStep;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestLifecycle;
import com.bedrockportal.request.RequestStatus;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The steps of {@code SubProcess_Provision}. Each runs in its own job: a technical failure is rethrown so the
 * engine retries it (and raises an incident when the retries run out); a business failure marks the request
 * PROVISIONING_FAILED with the reason and raises the BPMN error the sub-process boundary catches.
 */
@Configuration(proxyBeanMethods = false)
class ProvisioningDelegates {

    static final String ERROR_CODE = "PROVISIONING_FAILED";

    /** Builds the provisioning order of a request from the request, its unit, its application and the catalog. */
    static Provisioner.Order order(AccessRequest r, BusinessUnit unit, Application app, ModelCatalog catalog,
            String guardrailArn) {
        return new Provisioner.Order(r.id(), r.requester(), unit.id(), unit.slug(), app.id(), app.slug(),
                app.names().iamUser(), app.names().budgetName(), app.names().secretName(), unit.costCenter(),
                r.ownerEmail(), r.dataClassification().tagValue(), catalog.find(r.models()), r.regions(),
                r.sourceCidrs(), r.lifetimeDays(), r.monthlyBudget(), r.alertThreshold(), r.alertEmails(),
                r.storeSecret(), RequestRoutes.issuesKey(r), r.shortTermOnly() || app.shortTermOnly(), guardrailArn);
    }

    /** The access a request asks for, as its application records it once approved. */
    static Application.Access access(AccessRequest r) {
        return new Application.Access(r.models(), r.regions(), r.sourceCidrs(), r.lifetimeDays(), r.monthlyBudget(),
                r.alertThreshold(), r.alertEmails(), r.storeSecret());
    }

    /** Runs one provisioning step for the process; shared by the six step delegates below. */
    @org.springframework.stereotype.Component
    static class StepRunner {
        private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StepRunner.class);
        private final Provisioner provisioner;
        private final RequestLifecycle requests;
        private final BusinessUnitService units;
        private final ModelCatalog catalog;
        private final AuditLog audit;
        private final Notifier notifier;
        private final DecisionGuard guard;
        private final ApplicationService applications;
        private final AppliedPolicies appliedPolicies;

        StepRunner(Provisioner provisioner, RequestLifecycle requests, BusinessUnitService units, ModelCatalog catalog,
                AuditLog audit, Notifier notifier, DecisionGuard guard, ApplicationService applications,
                AppliedPolicies appliedPolicies) {
            this.appliedPolicies = appliedPolicies;
            this.guard = guard;
            this.applications = applications;
            this.provisioner = provisioner;
            this.requests = requests;
            this.units = units;
            this.catalog = catalog;
            this.audit = audit;
            this.notifier = notifier;
        }

        JavaDelegate delegate(ProvisioningStep step) {
            return execution -> run(step, ApprovalDelegates.requestId(execution));
        }

        private void run(ProvisioningStep step, long id) {
            AccessRequest request = requests.get(id).orElseThrow();
            Set<RequestStatus> expected = step == ProvisioningStep.IAM_USER
                    ? Set.of(RequestStatus.APPROVED, RequestStatus.PROVISIONING) : Set.of(RequestStatus.PROVISIONING);
            Optional<String> violation = guard.violation(request, expected);
            if (violation.isPresent()) {
                throw new BpmnError(ERROR_CODE, guard.alert(id, step.label(), violation.get(), true));
            }
            BusinessUnit unit = units.find(request.businessUnitId()).orElseThrow();
            if (step == ProvisioningStep.IAM_USER) {
                requests.transition(id, List.of(RequestStatus.APPROVED), RequestStatus.PROVISIONING,
                        ApprovalDelegates.SYSTEM, "PROVISIONING_STARTED", null);
            }
            try {
                if (request.isChange() && step == ProvisioningStep.IAM_USER && request.applicationId() != null) {
                    // Kept before the change's first call to AWS (and before its names are filled in), to put back
                    // if a later step fails.
                    long appId = request.applicationId();
                    applications.rememberBefore(appId, id, requests.lastProvisionedOf(appId).orElse(null),
                            requests.guardrailOfApplication(appId).orElse(null),
                            appliedPolicies.latest(appId).map(AppliedPolicies.Applied::id).orElse(null));
                }
                Application app = application(request, unit);
                if (request.isChange()) {
                    requireBaseline(request, app);
                } else if (app.status() != Application.Status.ACTIVE) {
                    throw new StaleChange(app.displayName() + " is " + app.status().name().toLowerCase(Locale.ROOT)
                            + ": nothing more is provisioned for it.");
                }
                String detail = provisioner.run(step, order(request, unit, app, catalog,
                        requests.guardrailOf(id).orElse(null)));
                audit.record(ApprovalDelegates.SYSTEM, "PROVISIONING_STEP", "request:" + id, step.name() + ": " + detail);
                if (step == ProvisioningStep.POLICY) {
                    applications.recordAccess(app.id(), access(request), request.ownerEmail(),
                            request.dataClassification().name(), id);
                }
            } catch (CloudException | ApplicationService.SlugTaken | StaleChange e) {
                if (e instanceof CloudException cloud && !cloud.business()) {
                    throw cloud;
                }
                // AWS's own words only in the log (they can name the portal's role and account): the reason is read
                // by the requester, mailed, and returned by the REST API.
                String reason = step.label() + " failed: " + (e instanceof CloudException cloud
                        ? cloud.forPeopleLogged(log, "Provisioning of request " + id) : e.getMessage());
                requests.transition(id, List.of(RequestStatus.APPROVED, RequestStatus.PROVISIONING),
                        RequestStatus.PROVISIONING_FAILED, ApprovalDelegates.SYSTEM, "PROVISIONING_FAILED", reason);
                throw new BpmnError(ERROR_CODE, reason);
            }
            if (step == ProvisioningStep.NOTIFY) {
                provisioner.releaseKey(id); // with the transition to PROVISIONED below, in one transaction
            }
            if (step == ProvisioningStep.NOTIFY && request.shortTermOnly() && !request.isChange()
                    && requests.transition(id, List.of(RequestStatus.PROVISIONING), RequestStatus.PROVISIONED,
                            ApprovalDelegates.SYSTEM, "PROVISIONED", "12-hour keys only: the application's IAM role "
                                    + "and policy are in place; no long-term key was created.")) {
                AccessRequest done = requests.get(id).orElseThrow();
                notifier.notify(List.of(request.requester()), request.applicationName() + " is ready for 12-hour keys",
                        "Request #" + id + " is provisioned. Open the application and click Get a 12-hour key "
                                + "whenever you need one: it is built for you after you log in again, valid up to 12 "
                                + "hours, and shown once.", "applications/" + done.applicationId());
            } else if (step == ProvisioningStep.NOTIFY && !RequestRoutes.issuesKey(request) && requests.transition(id,
                    List.of(RequestStatus.PROVISIONING), RequestStatus.PROVISIONED, ApprovalDelegates.SYSTEM,
                    "ACCESS_CHANGED", "Changed in place: policy, tags and budget. No new key was issued.")) {
                notifier.notify(List.of(request.requester()), "The access of " + request.applicationName()
                        + " was changed", "Request #" + id + " is done: the policy and budget of "
                        + request.applicationName() + " now match it, and its existing keys keep working with the "
                        + "new access.", RequestMessages.link(id));
            } else if (step == ProvisioningStep.NOTIFY && requests.transition(id, List.of(RequestStatus.PROVISIONING),
                    RequestStatus.PROVISIONED, ApprovalDelegates.SYSTEM, "PROVISIONED", null)) {
                notifier.notify(List.of(request.requester()), "Your Bedrock API key for " + unit.displayName()
                        + " is ready", "Request #" + id + " is provisioned. Reveal the key within the reveal window: it "
                        + "is shown once, to you only, after you log in again.", "keys/reveal/" + id);
                notifier.chat(unit.id(), "The key of " + request.applicationName() + " (" + unit.displayName()
                        + ") is ready", "Request #" + id + " is provisioned. " + request.requester() + " reveals the "
                        + "key once, in the portal.", RequestMessages.link(id), null);
            }
        }

        /**
         * The request's application: the one it changes, or the one it creates — created by the first step that
         * needs it, found by every later one (and linked to the request once).
         */
        private Application application(AccessRequest request, BusinessUnit unit) {
            if (request.applicationId() != null) {
                return shortTermIfAsked(applications, request, applications.withNames(request.applicationId(), unit.slug()));
            }
            Application app = applications.createFor(new ApplicationService.NewApplication(unit.id(), unit.slug(),
                    request.applicationSlug(), request.applicationName(), request.requester(), request.ownerEmail(),
                    request.purpose(), request.dataClassification().name(), access(request), request.id()));
            requests.linkApplication(request.id(), app.id());
            return shortTermIfAsked(applications, request, app);
        }
    }

    /** 12-hour keys: the application a new short-term-only request creates records it before its role is made. */
    static Application shortTermIfAsked(ApplicationService applications, AccessRequest request, Application app) {
        if (!request.shortTermOnly() || request.isChange() || app.shortTermOnly()) {
            return app;
        }
        applications.markShortTermOnly(app.id(), request.id());
        return applications.load(app.id());
    }

    /** A change's baseline is no longer the application's access: a business failure, nothing is changed. */
    static final class StaleChange extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StaleChange(String message) {
            super(message);
        }
    }

    /**
     * A change was computed from the application's access at submission: if another change was applied since, this
     * one would silently undo it. The application must still have the baseline's access, or already the access this
     * request asks for (a replayed step after its policy was recorded).
     */
    static void requireBaseline(AccessRequest request, Application app) {
        if (app.status() != Application.Status.ACTIVE) {
            throw new StaleChange(app.displayName() + " is " + app.status().name().toLowerCase(java.util.Locale.ROOT)
                    + ": a change can no longer be applied to it. Nothing was changed.");
        }
        Application.Access now = app.access();
        AccessRequest.Baseline base = request.baseline();
        boolean atBaseline = base != null && now.models().equals(base.models()) && now.regions().equals(base.regions())
                && now.sourceCidrs().equals(base.sourceCidrs()) && now.lifetimeDays() == base.lifetimeDays()
                && now.monthlyBudget().compareTo(base.monthlyBudget()) == 0 && now.storeSecret() == base.storeSecret();
        Application.Access asked = access(request);
        boolean applied = now.models().equals(asked.models()) && now.regions().equals(asked.regions())
                && now.sourceCidrs().equals(asked.sourceCidrs()) && now.lifetimeDays() == asked.lifetimeDays()
                && now.monthlyBudget().compareTo(asked.monthlyBudget()) == 0 && now.storeSecret() == asked.storeSecret();
        if (!atBaseline && !applied) {
            throw new StaleChange("the access of " + app.displayName() + " changed after this request "
                    + "was submitted, so applying it would undo that change. Nothing was changed; submit the change "
                    + "again from the application's current access.");
        }
    }

    @Bean
    JavaDelegate ensureIamUserDelegate(StepRunner steps) {
        return steps.delegate(ProvisioningStep.IAM_USER);
    }

    @Bean
    JavaDelegate applyPolicyDelegate(StepRunner steps) {
        return steps.delegate(ProvisioningStep.POLICY);
    }

    @Bean
    JavaDelegate createApiKeyDelegate(StepRunner steps) {
        return steps.delegate(ProvisioningStep.API_KEY);
    }

    @Bean
    JavaDelegate createBudgetDelegate(StepRunner steps) {
        return steps.delegate(ProvisioningStep.BUDGET);
    }

    @Bean
    JavaDelegate storeSecretDelegate(StepRunner steps) {
        return steps.delegate(ProvisioningStep.SECRET);
    }

    @Bean
    JavaDelegate notifyKeyReadyDelegate(StepRunner steps) {
        return steps.delegate(ProvisioningStep.NOTIFY);
    }

    /**
     * Nobody revealed the key in time: it is disabled in AWS and the requester is told why and what to do. The step
     * checks the request's state and decisions like every step; since disabling only narrows access, a violation is
     * alerted (security is told) but the key is disabled all the same.
     */
    @Bean
    JavaDelegate revokeUnrevealedKeyDelegate(Provisioner provisioner, RequestLifecycle requests, Notifier notifier,
            DecisionGuard guard, UserDirectory directory) {
        return execution -> {
            long id = ApprovalDelegates.requestId(execution);
            Optional<String> violation = guard.violation(requests.get(id).orElseThrow(),
                    Set.of(RequestStatus.PROVISIONED));
            if (violation.isPresent()) {
                guard.alert(id, "disabling the unrevealed key", violation.get(), false);
                notifier.notify(directory.withRole(PortalRole.SECURITY).stream().map(u -> u.username()).toList(),
                        "Security alert on request #" + id, "Its key is being disabled, but " + violation.get()
                                + ". See the audit log.", RequestMessages.link(id));
            }
            if (provisioner.disableUnrevealedKey(id)) {
                AccessRequest request = requests.get(id).orElseThrow();
                requests.note(id, ApprovalDelegates.SYSTEM, "KEY_DISABLED_UNREVEALED",
                        "Not revealed within the reveal window: the key was set Inactive and its sealed copy deleted.");
                notifier.notify(List.of(request.requester()), "Your key for request #" + id + " was disabled",
                        "You did not reveal the key within the reveal window, so it was set Inactive in AWS and can "
                                + "no longer be shown. Submit a new request if you still need access.",
                        RequestMessages.link(id));
            }
        };
    }

    /** Business failure: the requester and security are told why, with the step and the AWS error. */
    @Bean
    JavaDelegate notifyProvisioningFailedDelegate(RequestLifecycle requests, Notifier notifier,
            UserDirectory directory, Provisioner provisioner, ApplicationService applications,
            BusinessUnitService units, ModelCatalog catalog, AppliedPolicies policies) {
        return execution -> {
            long id = ApprovalDelegates.requestId(execution);
            // A key made before the failure is never handed over: Inactive in AWS, its sealed copy gone.
            boolean keyDisabled = provisioner.disableKeyOfFailedRequest(id);
            AccessRequest request = requests.get(id).orElseThrow();
            String putBack = request.isChange() ? putBack(request, requests, provisioner, applications, units,
                    catalog, policies) : "";
            String reason = requests.timelineOf(id).stream().filter(e -> "PROVISIONING_FAILED".equals(e.type()))
                    .reduce((a, b) -> b).map(e -> e.comment()).orElse("unknown");
            List<String> people = new java.util.ArrayList<>(List.of(request.requester()));
            directory.withRole(PortalRole.SECURITY).forEach(u -> people.add(u.username()));
            notifier.notify(people, "Provisioning of request #" + id + " failed", reason
                    + (keyDisabled ? " The key already created for it was deleted in AWS and will not be shown."
                            : "") + putBack + whatNext(request), RequestMessages.link(id));
        };
    }

    /**
     * What the requester does next. A new application's first steps made it (its name is taken): it is finished from its
     * page, with a change that also issues a key, or decommissioned; a new request would be refused its name.
     */
    private static String whatNext(AccessRequest request) {
        if (!request.isChange() && request.applicationId() != null && request.shortTermOnly()) {
            return " " + request.applicationName() + " exists in part (what the steps before the failure made). Ask the "
                    + "platform team to finish it once the cause is fixed, or decommission it from its page.";
        }
        if (!request.isChange() && request.applicationId() != null) {
            return " " + request.applicationName() + " exists in part (what the steps before the failure made). Once "
                    + "the platform team has fixed the cause, finish it from its page with \"Request a change to this "
                    + "application\" and \"Also issue a new API key\", or decommission it there.";
        }
        return " Nothing more will be created for this request; ask the platform team, then submit a new request.";
    }

    /**
     * A failed change leaves its application as it was, not half changed: what its steps applied, or were applying
     * when it failed, in AWS (tags, policy, budget) is put back from the application as it was before the change's
     * first step — the tags and policy exactly as the portal had recorded them — and so is the application's record;
     * on the timeline, audited. Not when the application is no longer active, was changed since, or nothing was kept
     * of it (a change started before the portal kept it); where AWS refuses a part, what was put back and what not is
     * said, and the application's record keeps the change's access. Returns what the requester and security are told.
     */
    static String putBack(AccessRequest request, RequestLifecycle requests, Provisioner provisioner,
            ApplicationService applications, BusinessUnitService units, ModelCatalog catalog,
            AppliedPolicies policies) {
        long id = request.id();
        if (request.applicationId() == null || request.status() != RequestStatus.PROVISIONING_FAILED) {
            return "";
        }
        Set<ProvisioningStep> done = provisioner.done(id);
        Optional<ApplicationService.Before> kept = applications.before(id);
        if (kept.isPresent() && kept.get().dealtWith()) {
            return "";
        }
        if (kept.isEmpty()) {
            if (done.isEmpty()) {
                return "";
            }
            return leftAsItIs(requests, id, "nothing was kept of the application before this change (it started "
                    + "before the portal kept it)");
        }
        Set<ProvisioningStep> steps = EnumSet.noneOf(ProvisioningStep.class);
        steps.addAll(done);
        steps.remove(ProvisioningStep.NOTIFY);
        ProvisioningStep failing = java.util.Arrays.stream(ProvisioningStep.values())
                .filter(s -> s != ProvisioningStep.NOTIFY && !done.contains(s)).findFirst()
                .orElse(ProvisioningStep.NOTIFY);
        if (failing == ProvisioningStep.BUDGET || failing == ProvisioningStep.IAM_USER && request.shortTermOnly()) {
            // Its calls may have applied a part (UpdateBudget before its alerts; a role's trust before its tags).
            steps.add(failing);
        }
        Optional<Application> locked = applications.lockForPutBack(kept.get(), access(request), request.ownerEmail());
        // Read again under the lock: a second run of this job finds it dealt with.
        ApplicationService.Before b = applications.before(id).orElseThrow();
        if (b.dealtWith()) {
            return "";
        }
        if (locked.isEmpty() || requests.laterChangeUnderWay(request.applicationId(), id)) {
            applications.leaveAsItIs(id);
            return leftAsItIs(requests, id, "the application is no longer active or was changed since");
        }
        Application app = locked.get();
        BusinessUnit unit = units.find(app.businessUnitId()).orElseThrow();
        Application.Access a = b.access();
        Provisioner.Order before = new Provisioner.Order(b.tagRequestId() == null ? id : b.tagRequestId(),
                request.requester(), unit.id(), unit.slug(), app.id(), app.slug(), app.names().iamUser(),
                b.budgetName(), app.names().secretName(), unit.costCenter(), b.ownerEmail(),
                com.bedrockportal.request.DataClassification.valueOf(b.dataClassification()).tagValue(),
                catalog.find(a.models()), a.regions(), a.sourceCidrs(), a.lifetimeDays(), a.monthlyBudget(),
                a.alertThreshold(), a.alertEmails(), a.storeSecret(), false, app.shortTermOnly(), b.guardrailArn());
        // Exactly what the portal had applied last, where it recorded it; else built from the record as before.
        Optional<AppliedPolicies.Applied> exact = b.appliedPolicyId() == null ? Optional.empty()
                : policies.find(b.appliedPolicyId());
        Provisioner.PutBack result = provisioner.putBack(before, exact, steps, id);
        String what = String.join(", ", result.putBack());
        if (result.refused() != null) {
            applications.leaveAsItIs(id);
            String refusal = result.refusal().forPeopleLogged(log, "Put-back of request " + id);
            String putBackSoFar = result.putBack().isEmpty() ? "Nothing was put back" : "Put back: " + what;
            requests.note(id, ApprovalDelegates.SYSTEM, "CHANGE_NOT_PUT_BACK", putBackSoFar + ". AWS refused to put back "
                    + result.refused() + " (" + refusal + "), so it and the steps before it in provisioning stay as "
                    + "the change left them, and the application's record keeps the change's access: the platform team puts "
                    + "the rest back.");
            return " " + putBackSoFar + ": AWS refused to put back " + result.refused() + " (" + refusal + "), so the "
                    + "application stays in part as the change left it; the platform team puts the rest back.";
        }
        // The Secrets Manager step is not put back (its versions are not kept): the record says what the copy is.
        // Changed if its step ran, or may be if it failed on a copy the application already had.
        boolean copyTouched = (done.contains(ProvisioningStep.SECRET) || failing == ProvisioningStep.SECRET
                && a.storeSecret()) && RequestRoutes.copiesToSecretsManager(request);
        applications.recordPutBack(b, done.contains(ProvisioningStep.SECRET) && copyTouched
                ? new Application.Access(a.models(), a.regions(), a.sourceCidrs(), a.lifetimeDays(), a.monthlyBudget(),
                        a.alertThreshold(), a.alertEmails(), request.storeSecret()) : a);
        String secret = copyTouched ? " The Secrets Manager copy may stay as the change left it." : "";
        if (result.putBack().isEmpty()) {
            requests.note(id, ApprovalDelegates.SYSTEM, "CHANGE_PUT_BACK", "Nothing of the change had been applied in "
                    + "AWS: the application is as it was before the request." + secret);
            return " Nothing of the change had been applied in AWS: the application is as it was." + secret;
        }
        requests.note(id, ApprovalDelegates.SYSTEM, "CHANGE_PUT_BACK", "Put back as before the request: " + what + "."
                + secret);
        return " What the change had applied (" + what + ") was put back as it was before the request." + secret;
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProvisioningDelegates.class);

    /** Says on the timeline why a failed change's application stays as the change left it; returns the notice's text. */
    private static String leftAsItIs(RequestLifecycle requests, long id, String why) {
        requests.note(id, ApprovalDelegates.SYSTEM, "CHANGE_NOT_PUT_BACK", "Not put back: " + why + ". What the change "
                + "applied stays as it is; the platform team checks the application.");
        return " What the change applied was not put back (" + why + "); the platform team checks the application.";
    }
}
