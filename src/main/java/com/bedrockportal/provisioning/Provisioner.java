package com.bedrockportal.provisioning;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.KeyStatus;
import com.bedrockportal.shared.FormValidation;
import com.bedrockportal.shared.TimerDue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Carries out the provisioning steps of an approved request in AWS. Every step looks before it creates (or treats
 * "already exists" as done), so a retried or replayed job creates nothing twice. Failures are
 * {@link CloudException}s: business ones stop provisioning with a message; transient ones are retried by the
 * engine and become incidents when the retries run out.
 */
@Service
public class Provisioner {

    /**
     * Everything the steps need, gathered from the request, its unit, its application and the catalog. The AWS names
     * are the application's recorded ones, never derived here. {@code issueKey} is false for a change that asked for
     * no new key: the policy, tags and budget change in place and the existing keys keep working.
     */
    public record Order(long requestId, String requester, long businessUnitId, String unitSlug, long applicationId,
            String applicationSlug, String iamUser, String budgetName, String secretName, String costCenter,
            String ownerEmail, String dataClassification, List<CatalogModel> models, List<String> regions,
            List<String> sourceCidrs, int lifetimeDays, BigDecimal monthlyBudget, int alertThreshold,
            List<String> alertEmails, boolean storeSecret, boolean issueKey, boolean shortTermOnly,
            String guardrailArn) {

        /** An order of an application with long-term keys (an IAM user) whose policy requires no guardrail. */
        public Order(long requestId, String requester, long businessUnitId, String unitSlug, long applicationId,
                String applicationSlug, String iamUser, String budgetName, String secretName, String costCenter,
                String ownerEmail, String dataClassification, List<CatalogModel> models, List<String> regions,
                List<String> sourceCidrs, int lifetimeDays, BigDecimal monthlyBudget, int alertThreshold,
                List<String> alertEmails, boolean storeSecret, boolean issueKey) {
            this(requestId, requester, businessUnitId, unitSlug, applicationId, applicationSlug, iamUser, budgetName,
                    secretName, costCenter, ownerEmail, dataClassification, models, regions, sourceCidrs, lifetimeDays,
                    monthlyBudget, alertThreshold, alertEmails, storeSecret, issueKey, false, null);
        }

        Map<String, String> tags() {
            return ResourceTags.forRequest(unitSlug, applicationSlug, costCenter, ownerEmail, requestId,
                    dataClassification);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Provisioner.class);

    private final IamUsers users;
    private final UserPolicies policies;
    private final ServiceCredentials credentials;
    private final Budgets budgets;
    private final Secrets secrets;
    private final AccountIdentity identity;
    private final ApiKeys keys;
    private final ProvisioningProperties properties;
    private final ProvisioningEvents events;
    private final JdbcClient jdbc;
    private final FormValidation texts;
    private final Clock clock;
    private final ApplicationRoles roles;
    private final AppliedPolicies applied;
    private final DecommissionProperties retention;
    private volatile String accountId;

    Provisioner(IamUsers users, UserPolicies policies, ServiceCredentials credentials, Budgets budgets,
            Secrets secrets, AccountIdentity identity, ApiKeys keys, ProvisioningProperties properties,
            ProvisioningEvents events, JdbcClient jdbc, FormValidation texts, Clock clock, ApplicationRoles roles,
            AppliedPolicies applied, DecommissionProperties retention) {
        this.retention = retention;
        this.roles = roles;
        this.applied = applied;
        this.users = users;
        this.policies = policies;
        this.credentials = credentials;
        this.budgets = budgets;
        this.secrets = secrets;
        this.identity = identity;
        this.keys = keys;
        this.properties = properties;
        this.events = events;
        this.jdbc = jdbc;
        this.texts = texts;
        this.clock = clock;
    }

    /**
     * Runs one step; returns what it did, for the timeline. A {@link CloudException} does not mark the step's
     * transaction rollback-only: the caller decides (a business failure is recorded and ends provisioning).
     */
    @Transactional(noRollbackFor = CloudException.class)
    public String run(ProvisioningStep step, Order order) {
        if (step == ProvisioningStep.IAM_USER || step == ProvisioningStep.POLICY) {
            requirePolicyFits(order);
        }
        String detail = switch (step) {
            case IAM_USER -> order.shortTermOnly() ? ensureRole(order) : ensureUser(order);
            case POLICY -> order.shortTermOnly() ? applyRolePolicy(order) : applyPolicy(order);
            case API_KEY -> createKey(order);
            case BUDGET -> ensureBudget(order);
            case SECRET -> storeSecret(order);
            case NOTIFY -> "requester notified";
        };
        int inserted = jdbc.sql("""
                insert into provisioning_step (request_id, step, detail, done_at)
                select :r, :s, :d, :now where not exists (
                    select 1 from provisioning_step where request_id = :r and step = :s)""")
                .param("r", order.requestId()).param("s", step.name()).param("d", detail)
                .param("now", clock.instant().atOffset(ZoneOffset.UTC)).update();
        if (inserted == 1) {
            log.info("Provisioning of request {}: {} done ({})", order.requestId(), step, detail);
        }
        events.changed(order.requestId());
        return detail;
    }

    /**
     * The reveal window passed without a reveal: the key is set Inactive in AWS and its sealed copy deleted.
     * Returns false when the key was revealed meanwhile (nothing changes). The key's row is locked before AWS is
     * asked, so a reveal at the same moment either came first (nothing is disabled) or waits and finds the key gone;
     * AWS and the portal never disagree. More than a minute before the window's end (a timer fired early) nothing
     * happens: refused, for the engine's retry and incident.
     */
    @Transactional
    public boolean disableUnrevealedKey(long requestId) {
        Optional<ApiKey> key = keys.forRequest(requestId).flatMap(k -> keys.lock(k.id()));
        if (key.isEmpty() || key.get().revealedAt() != null) {
            return false;
        }
        Instant deadline = key.get().revealDeadline();
        if (TimerDue.early(clock.instant(), deadline)) {
            throw new IllegalStateException("The key of request " + requestId + " may be revealed until " + deadline
                    + ": it is not disabled before");
        }
        if (key.get().status() != KeyStatus.PENDING_REVEAL) {
            // Disabled (or revoked) by a person before its window ended: nothing to do in AWS, but the sealed copy
            // goes now, as for any key not revealed in time; re-enabling it later finds nobody who holds it.
            keys.dropSealedCopy(key.get().id());
            return false;
        }
        credentials.updateServiceCredentialStatus(key.get().iamUser(), key.get().credentialId(), false);
        return keys.retireUnrevealed(requestId);
    }

    /** The request is provisioned: its key, held since the step that made it, may be revealed now. */
    @Transactional
    public void releaseKey(long requestId) {
        keys.release(requestId, properties.revealWindow());
    }

    /**
     * Provisioning of the request failed after its key was made: the key is set Inactive, then deleted in AWS (its
     * slot free for the next request; one AWS no longer has counts as done) and recorded DELETED, its sealed copy
     * deleted; it was never shown (held). False when there is no such key. Any other AWS failure is thrown, for the
     * engine's retry.
     */
    @Transactional
    public boolean disableKeyOfFailedRequest(long requestId) {
        Optional<ApiKey> key = keys.forRequest(requestId).flatMap(k -> keys.lock(k.id()));
        if (key.isEmpty() || key.get().revealedAt() != null || !key.get().status().live()) {
            return false;
        }
        try {
            credentials.updateServiceCredentialStatus(key.get().iamUser(), key.get().credentialId(), false);
            credentials.deleteServiceCredential(key.get().iamUser(), key.get().credentialId());
        } catch (CloudException e) {
            if (e.kind() != CloudException.Kind.NOT_FOUND) {
                throw e;
            }
        }
        return keys.retireOfFailedRequest(requestId, "Provisioning of request " + requestId + " failed before the "
                + "key was handed over");
    }

    /**
     * What a put-back did: the labels of the steps put back, in order, and the step AWS refused ({@code refused}, null
     * when all were put back) with AWS's refusal.
     */
    public record PutBack(List<String> putBack, String refused, CloudException refusal) {
    }

    /**
     * Puts back in AWS what a failed change had applied ({@code steps}: those of IAM_USER, POLICY and BUDGET it ran or
     * was running) from {@code before}, the order of the application's access before the change: the IAM user's or
     * role's tags and its inline policy (recorded as put back) exactly as the portal applied them last ({@code exact};
     * when it recorded none, as built from {@code before}), and the budget. A key the change made is not
     * touched here (the failure deletes it). Idempotent, as the steps are; AWS not answering is thrown for the job's
     * retry, AWS refusing stops there and is returned.
     */
    @Transactional(noRollbackFor = CloudException.class)
    public PutBack putBack(Order before, Optional<AppliedPolicies.Applied> exact, Set<ProvisioningStep> steps,
            long failedRequestId) {
        // The recorded tags (a drift repair before V30 recorded none), with the owner and classification of the
        // application before the change: a handover since the last recorded policy tagged them without a record.
        Map<String, String> tags = new java.util.LinkedHashMap<>(exact.map(AppliedPolicies.Applied::tags)
                .filter(t -> !t.isEmpty()).orElseGet(before::tags));
        tags.put("owner", before.tags().get("owner"));
        tags.put("data-classification", before.tags().get("data-classification"));
        String policy = exact.map(AppliedPolicies.Applied::policyJson).orElseGet(() -> policy(before));
        List<String> putBack = new java.util.ArrayList<>();
        // Last applied first: a refusal leaves what the change applied before it, which the record still says.
        for (ProvisioningStep step : List.of(ProvisioningStep.BUDGET, ProvisioningStep.POLICY,
                ProvisioningStep.IAM_USER)) {
            if (!steps.contains(step) || step == ProvisioningStep.BUDGET && before.budgetName() == null) {
                continue;
            }
            try {
                switch (step) {
                    case IAM_USER -> tag(before, tags);
                    case POLICY -> putPolicy(before, tags, policy, failedRequestId);
                    default -> ensureBudget(before);
                }
            } catch (CloudException e) {
                if (!e.business()) {
                    throw e;
                }
                return new PutBack(inProvisioningOrder(putBack), step.label(), e);
            }
            putBack.add(step.label());
        }
        return new PutBack(inProvisioningOrder(putBack), null, null);
    }

    private static List<String> inProvisioningOrder(List<String> lastFirst) {
        List<String> ordered = new java.util.ArrayList<>(lastFirst);
        java.util.Collections.reverse(ordered);
        return List.copyOf(ordered);
    }

    private void tag(Order before, Map<String, String> tags) {
        if (before.shortTermOnly()) {
            roles.tagRole(before.iamUser(), tags);
        } else {
            users.tagUser(before.iamUser(), tags);
        }
    }

    private void putPolicy(Order before, Map<String, String> tags, String policy, long failedRequestId) {
        if (before.shortTermOnly()) {
            roles.putRolePolicy(before.iamUser(), properties.policyName(), policy);
        } else {
            policies.putUserPolicy(before.iamUser(), properties.policyName(), policy);
        }
        applied.recordPutBack(before.applicationId(), before.shortTermOnly() ? AppliedPolicies.Principal.ROLE
                : AppliedPolicies.Principal.USER, before.iamUser(), properties.policyName(), policy, tags,
                "portal (request " + failedRequestId + " failed: put back)");
    }

    /** The steps completed for a request. */
    @Transactional(readOnly = true)
    public Set<ProvisioningStep> done(long requestId) {
        Set<ProvisioningStep> done = EnumSet.noneOf(ProvisioningStep.class);
        jdbc.sql("select step from provisioning_step where request_id = :r").param("r", requestId).query(String.class)
                .list().forEach(s -> done.add(ProvisioningStep.valueOf(s)));
        return done;
    }

    /** The policy this order applies (what security approved). */
    public String policy(Order order) {
        return PolicyBuilder.build(policyInput(order));
    }

    private PolicyBuilder.PolicyInput policyInput(Order order) {
        return new PolicyBuilder.PolicyInput(order.models(), order.regions(), order.sourceCidrs(), account(),
                order.guardrailArn());
    }

    /**
     * The request rules refused every request whose policy would not fit, but the catalog may have changed since
     * (a model offered in more regions): an oversized policy stops provisioning as a business error with the text
     * the form would have shown, before the IAM user is created and before IAM is asked.
     */
    private void requirePolicyFits(Order order) {
        PolicySize size = PolicyBuilder.measure(policyInput(order));
        if (!size.fits()) {
            throw new CloudException(CloudException.Kind.LIMIT_EXCEEDED, "PutUserPolicy", size.tooLarge(texts));
        }
    }

    private String ensureUser(Order order) {
        if (users.findUser(order.iamUser()).isPresent()) {
            // A change (or a retry): the tags follow what was approved last — owner, classification, request.
            users.tagUser(order.iamUser(), order.tags());
            return "IAM user " + order.iamUser() + " exists; its " + order.tags().size() + " tags are up to date";
        }
        try {
            users.createUser(order.iamUser(), properties.iamPath(), order.tags());
            return "created IAM user " + order.iamUser() + " with " + order.tags().size() + " tags";
        } catch (CloudException e) {
            if (e.kind() == CloudException.Kind.ALREADY_EXISTS) {
                return "IAM user " + order.iamUser() + " exists";
            }
            throw e;
        }
    }

    private String applyPolicy(Order order) {
        String policy = policy(order);
        policies.putUserPolicy(order.iamUser(), properties.policyName(), policy);
        applied.recordProvisioned(order.applicationId(), order.requestId(), AppliedPolicies.Principal.USER,
                order.iamUser(), properties.policyName(), policy, order.tags());
        return "inline policy " + properties.policyName() + " applied";
    }

    private String createKey(Order order) {
        if (order.shortTermOnly()) {
            return "short-term keys only: no long-term key; members get 12-hour keys from the application page";
        }
        if (!order.issueKey()) {
            return "no new key asked: the existing keys keep working with the new access";
        }
        if (keys.forRequest(order.requestId()).isPresent()) {
            return "API key exists";
        }
        Set<String> known = keys.knownCredentialIds(order.iamUser());
        List<ServiceCredentials.ServiceCredential> existing = credentials.listServiceCredentials(order.iamUser(),
                ServiceCredentials.BEDROCK_SERVICE);
        for (ServiceCredentials.ServiceCredential orphan : existing) {
            if (!known.contains(orphan.credentialId())) {
                // Created by an earlier attempt that crashed before it was recorded: its key is lost, so remove it
                // rather than leave an unusable, unaccounted key behind.
                credentials.deleteServiceCredential(order.iamUser(), orphan.credentialId());
                log.warn("Deleted unrecorded credential {} of {} left by an interrupted attempt",
                        orphan.credentialId(), order.iamUser());
            }
        }
        if (existing.stream().filter(c -> known.contains(c.credentialId())).count() >= 2) {
            throw new CloudException(CloudException.Kind.LIMIT_EXCEEDED, "CreateServiceSpecificCredential",
                    order.iamUser() + " already has two Bedrock API keys, the most AWS allows. Revoke one of them "
                            + "before a new key can be issued.");
        }
        ServiceCredentials.NewServiceCredential created = credentials.createServiceCredential(order.iamUser(),
                ServiceCredentials.BEDROCK_SERVICE, order.lifetimeDays());
        try {
            ApiKey key = keys.store(order.requestId(), order.requester(), order.businessUnitId(),
                    order.applicationId(), order.iamUser(),
                    created.credential().credentialId(), created.credential().createdAt(),
                    created.credential().expiresAt(), created.secret(), properties.revealWindow(),
                    order.regions().isEmpty() ? null : order.regions().get(0),
                    order.models().isEmpty() ? null : order.models().get(0).modelId());
            keys.hold(order.requestId()); // shown only once the request is provisioned (releaseKey)
            return "API key " + key.prefix() + "… created, expires " + key.expiresAt();
        } finally {
            Arrays.fill(created.secret(), '\0');
        }
    }

    private String ensureBudget(Order order) {
        Budgets.BudgetSpec spec = new Budgets.BudgetSpec(order.budgetName(), order.monthlyBudget(),
                order.unitSlug(), List.of(
                        new Budgets.BudgetAlert("ACTUAL", order.alertThreshold(), order.alertEmails()),
                        new Budgets.BudgetAlert("FORECASTED", 100, order.alertEmails())),
                applicationTag(order));
        if (budgets.findBudget(order.budgetName()).isPresent()) {
            budgets.updateBudget(spec);
            return "budget " + order.budgetName() + " updated to " + order.monthlyBudget().toPlainString() + " USD";
        }
        try {
            budgets.createBudget(spec);
        } catch (CloudException e) {
            if (e.kind() != CloudException.Kind.ALREADY_EXISTS) {
                throw e;
            }
            budgets.updateBudget(spec);
        }
        return "budget " + order.budgetName() + " of " + order.monthlyBudget().toPlainString() + " USD";
    }

    private String storeSecret(Order order) {
        if (!order.storeSecret()) {
            // Only a change that drops the copy comes here (the process's gateway): the copy is deleted, restorable
            // within the recovery window, as a decommission deletes it.
            Duration window = retention.secretRecoveryWindow();
            return secrets.deleteSecret(order.secretName(), window) ? "copy " + order.secretName()
                    + " scheduled for deletion (restorable for " + window.toDays() + " days)"
                    : "no copy in " + order.secretName() + " to delete";
        }
        if (!order.issueKey()) {
            return "no new key to copy; " + order.secretName() + " keeps the key it holds";
        }
        ApiKey key = keys.forRequest(order.requestId()).orElseThrow();
        if (key.secretArn() != null) {
            return "stored in " + order.secretName();
        }
        char[] value = keys.openForCopy(order.requestId());
        try {
            String arn = secrets.findSecret(order.secretName()).orElse(null);
            if (arn == null) {
                arn = secrets.createSecret(order.secretName(), value, order.tags(),
                        "Bedrock API key of " + order.unitSlug() + "/" + order.applicationSlug() + " (request "
                                + order.requestId() + ")");
            } else {
                secrets.restoreSecret(order.secretName()); // a copy dropped earlier, within its recovery window
                secrets.putSecretValue(order.secretName(), value);
            }
            keys.recordSecretArn(order.requestId(), arn);
            return "stored in " + order.secretName();
        } finally {
            Arrays.fill(value, '\0');
        }
    }

    /** The account the policies' ARNs name: the caller identity of the configured account, looked up once. */
    public String accountId() {
        return account();
    }

    private String account() {
        if (accountId == null) {
            accountId = identity.callerIdentity().account();
        }
        return accountId;
    }

    // --- per-application budget filter (issue 10, owners)

    /**
     * The application tag the budget filters on besides the unit's: the application's slug when its IAM user was
     * created for it ({@code {unit}-{app}-bedrock}, tagged {@code application} in CreateUser), so the budget counts
     * this application's spend only. An application migrated from the one-user-per-unit model keeps the user it had
     * ({@code {unit}-bedrock-user}, made before the application tag existed): its budget stays on the unit tag, as
     * it was, since an application filter would count nothing.
     */
    static String applicationTag(Order order) {
        return order.iamUser().equals(order.unitSlug() + "-" + order.applicationSlug() + "-bedrock")
                ? order.applicationSlug() : null;
    }

    // --- 12-hour keys (issue 14): an application with short-term keys only has an IAM role instead of a user

    /**
     * Looks before it creates: an existing role (a retry, or a change of the application) gets the trust policy,
     * maximum session and tags of now again; a role created meanwhile by a concurrent attempt counts as created.
     */
    private String ensureRole(Order order) {
        String trust = ApplicationRoles.trustPolicy(portalPrincipal());
        Optional<ApplicationRoles.IamRole> role = roles.findRole(order.iamUser());
        if (role.isEmpty()) {
            try {
                roles.createRole(order.iamUser(), properties.iamPath(), trust, ApplicationRoles.MAX_SESSION_SECONDS,
                        order.tags());
                return "created IAM role " + order.iamUser() + " (trusted by " + portalPrincipal()
                        + ", sessions up to 12 h) with " + order.tags().size() + " tags";
            } catch (CloudException e) {
                if (e.kind() != CloudException.Kind.ALREADY_EXISTS) {
                    throw e;
                }
            }
        }
        boolean trusted = role.isPresent() && role.get().trustPolicy().contains("\"" + portalPrincipal() + "\"")
                && role.get().maxSessionSeconds() == ApplicationRoles.MAX_SESSION_SECONDS;
        if (!trusted) {
            roles.updateRole(order.iamUser(), trust, ApplicationRoles.MAX_SESSION_SECONDS);
        }
        roles.tagRole(order.iamUser(), order.tags());
        return "IAM role " + order.iamUser() + " exists; " + (trusted ? "" : "its trust and session were set again; ")
                + "its " + order.tags().size() + " tags are up to date";
    }

    private String applyRolePolicy(Order order) {
        String policy = policy(order);
        roles.putRolePolicy(order.iamUser(), properties.policyName(), policy);
        applied.recordProvisioned(order.applicationId(), order.requestId(), AppliedPolicies.Principal.ROLE,
                order.iamUser(), properties.policyName(), policy, order.tags());
        return "inline policy " + properties.policyName() + " applied to role " + order.iamUser();
    }

    /** The principal the applications' roles trust: the portal's own (as a role when it runs in a role session). */
    public String portalPrincipal() {
        return principalArn(identity.callerIdentity().arn());
    }

    /** An assumed-role session ARN as its role's ARN (a trust policy names roles, not sessions); others unchanged. */
    static String principalArn(String callerArn) {
        var m = java.util.regex.Pattern.compile("^arn:(aws[\\w-]*):sts::(\\d{12}):assumed-role/([^/]+)/.*$")
                .matcher(callerArn);
        return m.matches() ? "arn:" + m.group(1) + ":iam::" + m.group(2) + ":role/" + m.group(3) : callerArn;
    }
}
