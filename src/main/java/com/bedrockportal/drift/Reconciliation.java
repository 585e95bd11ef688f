package com.bedrockportal.drift;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.drift.DriftFinding.Kind;
import com.bedrockportal.drift.DriftRepository.Observed;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.KeyStatus;
import com.bedrockportal.provisioning.Budgets;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.Secrets;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.provisioning.UserPolicies;
import com.bedrockportal.shared.ClusterRuns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One reconciliation run: reads AWS, compares it with the portal's records and hands what it saw to
 * {@link DriftRecorder}, which updates the findings in one transaction. Each application's AWS state is read in a
 * short transaction of its own that holds the application's row (as a provisioning step does while it makes and
 * records a key), so for as long as those few AWS calls take (each with the SDK's timeouts and retries) a step or a
 * steward's change of that one application waits.
 * One run at a time per portal instance, and across the cluster ({@link ClusterRuns}: a node's run waits for no
 * other, it is not run; the schedule's run is skipped where another node ran the check within half an interval); a
 * run that cannot read a user's state keeps that user's findings as they are (nothing is resolved on a failed read).
 */
@Component
class Reconciliation {

    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);
    /** The active applications read at a time. */
    static final int PAGE = 500;

    private final ApplicationService applications;
    private final ApiKeys keys;
    private final IamUsers users;
    private final ServiceCredentials credentials;
    private final UserPolicies policies;
    private final Budgets budgets;
    private final Secrets secrets;
    private final ExpectedPolicy expected;
    private final DriftRecorder recorder;
    private final DriftProperties properties;
    private final DriftSettings settings;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private volatile int pageSize = PAGE;
    private final ClusterRuns cluster;

    Reconciliation(ApplicationService applications, ApiKeys keys, IamUsers users, ServiceCredentials credentials,
            UserPolicies policies, Budgets budgets, Secrets secrets, ExpectedPolicy expected, DriftRecorder recorder,
            DriftProperties properties, DriftSettings settings, Clock clock,
            PlatformTransactionManager transactionManager, ClusterRuns cluster) {
        this.cluster = cluster;
        this.transactions = new TransactionTemplate(transactionManager);
        // One application's row at a time, never held across applications whatever the caller runs in.
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.applications = applications;
        this.keys = keys;
        this.users = users;
        this.credentials = credentials;
        this.policies = policies;
        this.budgets = budgets;
        this.secrets = secrets;
        this.expected = expected;
        this.recorder = recorder;
        this.properties = properties;
        this.settings = settings;
        this.clock = clock;
    }

    /** The schedule's name as a run's trigger. */
    static final String SCHEDULE = "schedule";
    /**
     * The longest a drift run holds the cluster's lease: longer than a run takes (a node gone gives it up after one
     * heartbeat, {@link com.bedrockportal.shared.ClusterRuns#HEARTBEAT}; a run that hangs, after this).
     */
    static final java.time.Duration LONGEST = java.time.Duration.ofHours(1);

    /**
     * Runs one reconciliation; null when one is running here or on another node, or (the schedule's run) when another
     * node ran it within half an interval.
     */
    DriftService.Outcome run(String triggeredBy) {
        return cluster.exclusively("drift", LONGEST, SCHEDULE.equals(triggeredBy) ? properties.interval().dividedBy(2)
                : null, () -> reconcile(triggeredBy)).orElse(null);
    }

    private DriftService.Outcome reconcile(String triggeredBy) {
        Instant started = clock.instant();
        // Cap before any per-user call: listing stops past max-users.
        IamUsers.UserListing listing = users.listUsers(settings.iamPath(), properties.maxUsers());
        Set<String> listed = listing.users().stream().map(IamUsers.IamUser::userName)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        // Whether an application records a user: read for the listed users at once, for any other (a finding's user
        // no longer listed) when the recorder asks.
        Set<String> recordedListed = applications.recordingIamUsers(listed);
        Map<String, Boolean> recordedOthers = new HashMap<>();
        Predicate<String> recorded = user -> user != null && (listed.contains(user) ? recordedListed.contains(user)
                : recordedOthers.computeIfAbsent(user, u -> !applications.recordingIamUsers(List.of(u)).isEmpty()));

        List<Observed> seen = new ArrayList<>();
        Set<String> checked = new HashSet<>();
        int failed = 0;
        String account = null;
        // The active applications a page at a time, in id order: the whole table is never held at once.
        int size = Math.max(1, pageSize);
        for (long after = 0; after >= 0;) {
            List<Application> page = applications.activeAfter(after, size);
            after = page.size() < size ? -1 : page.get(page.size() - 1).id();
            for (Application app : page) {
                String user = app.names().iamUser();
                if (listing.truncated() && !listed.contains(user)) {
                    continue;
                }
                if (app.shortTermOnly()) {
                    // 12-hour keys: an IAM role, not a user, and no long-term keys; the checks below are for users. Its
                    // role is not reconciled yet (README "12-hour keys").
                    continue;
                }
                try {
                    if (account == null) {
                        account = expected.account();
                    }
                    String accountId = account;
                    List<Observed> found = transactions.execute(status -> {
                        // The application's row, as its provisioning steps and a rotation's new-key step hold it
                        // while they make a key in AWS and record it: a key made but not yet recorded is not taken
                        // for one made outside the portal, nor a policy being changed with its approved access for an
                        // edit. Its keys and access are read once the lock is held.
                        Application now = applications.lock(app.id());
                        return now.status() != Application.Status.ACTIVE ? null
                                : check(now, listed.contains(user), keys.ofIamUser(user), accountId);
                    });
                    if (found == null) {
                        // No longer active once its row was free (a decommission took it): not checked, as one that was
                        // not active from the start, so its findings stay as they are.
                        continue;
                    }
                    seen.addAll(found);
                    checked.add(user);
                } catch (CloudException e) {
                    failed++;
                    log.warn("Drift check of {} could not read AWS ({}): {}", user, e.kind(), e.getMessage());
                }
            }
        }
        for (IamUsers.IamUser u : listing.users()) {
            if (!recorded.test(u.userName())) {
                seen.add(new Observed(Kind.UNKNOWN_IAM_USER, null, null, u.userName(), u.userName(), null,
                        "IAM user " + u.arn() + " is under the portal's path but no application records it"));
            }
        }
        // Findings of a user are settled by this run if it read the user; an unrecorded user's finding also when the
        // complete listing no longer has the user.
        Predicate<String> settled = user -> checked.contains(user)
                || (listed.contains(user) || !listing.truncated()) && !recorded.test(user);
        Duration took = Duration.between(started, clock.instant());
        return recorder.record(seen, settled, triggeredBy, started, listing.users().size(), listing.truncated(),
                failed, took);
    }

    /** The active applications read at a time ({@value #PAGE}; smaller in tests, to see the paging). */
    void pageSize(int size) {
        pageSize = size;
    }

    /** What differs for one active application. */
    private List<Observed> check(Application app, boolean listed, List<ApiKey> portalKeys, String account) {
        String user = app.names().iamUser();
        Long appId = app.id();
        Long unitId = app.businessUnitId();
        List<Observed> found = new ArrayList<>();
        if (!listed && users.findUser(user).isEmpty()) {
            found.add(new Observed(Kind.IAM_USER_MISSING, appId, unitId, user, user, null,
                    "the application's IAM user " + user + " is not in AWS"));
            return found;
        }
        Map<String, String> inAws = new HashMap<>();
        for (ServiceCredentials.ServiceCredential c : credentials.listServiceCredentials(user,
                ServiceCredentials.BEDROCK_SERVICE)) {
            inAws.put(c.credentialId(), c.status());
        }
        Map<String, ApiKey> byCredential = portalKeys.stream()
                .collect(Collectors.toMap(ApiKey::credentialId, k -> k, (a, b) -> a));
        inAws.forEach((id, status) -> {
            ApiKey k = byCredential.get(id);
            if (k == null || !k.status().live()) {
                found.add(new Observed(Kind.KEY_OUTSIDE_PORTAL, appId, unitId, user, id, status, k == null
                        ? "Bedrock API key " + id + " (" + status + ") was not created by the portal"
                        : "Bedrock API key " + id + " (" + status + ") is still in AWS, but the portal recorded it "
                                + k.status().label()));
            } else if ("Inactive".equals(status)
                    && (k.status() == KeyStatus.ACTIVE || k.status() == KeyStatus.PENDING_REVEAL)) {
                found.add(new Observed(Kind.KEY_DISABLED_IN_AWS, appId, unitId, user, id, status, "key " + label(k)
                        + " is Inactive in AWS; the portal has it " + k.status().label()));
            } else if ("Active".equals(status) && k.status() == KeyStatus.INACTIVE) {
                found.add(new Observed(Kind.KEY_REENABLED_IN_AWS, appId, unitId, user, id, status, "key " + label(k)
                        + " is Active in AWS; the portal disabled it"));
            }
        });
        for (ApiKey k : portalKeys) {
            if (k.status().live() && !inAws.containsKey(k.credentialId())) {
                found.add(new Observed(Kind.KEY_DELETED_IN_AWS, appId, unitId, user, k.credentialId(), "absent",
                        "key " + label(k) + " (" + k.status().label() + " in the portal) is no longer in AWS"));
            }
        }
        String policyName = settings.policyName();
        policies.findUserPolicy(user, policyName).ifPresentOrElse(document -> {
            if (!PolicyJson.same(document, expected.policy(app, account))) {
                found.add(new Observed(Kind.POLICY_EDITED, appId, unitId, user, policyName, "edited",
                        "inline policy " + policyName + " differs from the access approved for the application"));
            }
        }, () -> found.add(new Observed(Kind.POLICY_MISSING, appId, unitId, user, policyName, "absent",
                "inline policy " + policyName + " is missing")));
        String budget = app.names().budgetName();
        if (budget != null && budgets.findBudget(budget).isEmpty()) {
            found.add(new Observed(Kind.BUDGET_MISSING, appId, unitId, user, budget, "absent",
                    "budget " + budget + " is missing"));
        }
        // The secret's name is recorded with the application; the secret exists only if a copy was asked for.
        String secret = app.names().secretName();
        if (secret != null && app.access().storeSecret()) {
            Optional<Secrets.Found> copy = secrets.lookUp(secret);
            if (copy.isEmpty()) {
                found.add(new Observed(Kind.SECRET_MISSING, appId, unitId, user, secret, "absent",
                        "secret " + secret + " is missing"));
            } else if (copy.get().deletionScheduled()) {
                // Deleted in the console with a recovery window: still there by name, but going (takes no new key).
                found.add(new Observed(Kind.SECRET_MISSING, appId, unitId, user, secret, "scheduled for deletion",
                        "secret " + secret + " is scheduled for deletion"));
            }
        }
        return found;
    }

    /** A key as findings name it: its first characters when the portal knows them, else its credential id. */
    private static String label(ApiKey k) {
        return k.prefix() == null || k.prefix().isEmpty() ? k.credentialId() : k.prefix() + "… (" + k.credentialId()
                + ")";
    }
}
