package com.bedrockportal.provisioning;

import java.util.ArrayList;
import java.util.List;

import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Deletes an application's resources in AWS, one step at a time in the order AWS requires — keys, inline policy,
 * budget, secret (after its recovery window), IAM user — by the names the application recorded (never derived
 * here). Every delete is idempotent: what is already gone counts as done, so a retried or replayed step deletes
 * nothing twice and fails on nothing it finds missing. Failures are {@link CloudException}s, as in provisioning.
 */
@Service
public class Decommissioner {

    /** The application's recorded AWS names; budget and secret are null when none was created. */
    public record Target(long applicationId, String iamUser, String budgetName, String secretName) {
    }

    /** One resource a step dealt with: its AWS name and what happened to it. */
    public record Deleted(String resource, String detail) {
    }

    private static final Logger log = LoggerFactory.getLogger(Decommissioner.class);

    private final IamUsers users;
    private final UserPolicies policies;
    private final ServiceCredentials credentials;
    private final Budgets budgets;
    private final Secrets secrets;
    private final ApiKeys keys;
    private final ProvisioningProperties provisioning;
    private final DecommissionProperties settings;
    private final ApplicationRoles roles;

    Decommissioner(IamUsers users, UserPolicies policies, ServiceCredentials credentials, Budgets budgets,
            Secrets secrets, ApiKeys keys, ProvisioningProperties provisioning, DecommissionProperties settings,
            ApplicationRoles roles) {
        this.roles = roles;
        this.users = users;
        this.policies = policies;
        this.credentials = credentials;
        this.budgets = budgets;
        this.secrets = secrets;
        this.keys = keys;
        this.provisioning = provisioning;
        this.settings = settings;
    }

    /** The inline policy's name (the same for every application). */
    public String policyName() {
        return provisioning.policyName();
    }

    /** How long a deleted secret can be restored. */
    public java.time.Duration secretRecoveryWindow() {
        return settings.secretRecoveryWindow();
    }

    /**
     * Deletes every service-specific credential of the IAM user (the portal's keys and any made outside it: IAM
     * deletes no user that has one), each set Inactive first so it stops working even if the delete fails; the
     * portal's keys are marked REVOKED with the reason.
     */
    @Transactional(noRollbackFor = CloudException.class)
    public List<Deleted> deleteKeys(Target target, String reason) {
        List<Deleted> done = new ArrayList<>();
        List<ServiceCredentials.ServiceCredential> inAws;
        try {
            inAws = credentials.listServiceCredentials(target.iamUser(), null);
        } catch (CloudException e) {
            if (e.kind() != CloudException.Kind.NOT_FOUND) {
                throw e;
            }
            inAws = List.of(); // no user: no credentials
        }
        for (ServiceCredentials.ServiceCredential c : inAws) {
            try {
                if ("Active".equals(c.status())) {
                    credentials.updateServiceCredentialStatus(target.iamUser(), c.credentialId(), false);
                }
                credentials.deleteServiceCredential(target.iamUser(), c.credentialId());
                done.add(new Deleted(c.credentialId(), "deleted " + c.serviceName() + " credential"));
            } catch (CloudException e) {
                if (e.kind() != CloudException.Kind.NOT_FOUND) {
                    throw e;
                }
                done.add(new Deleted(c.credentialId(), "already gone"));
            }
        }
        for (ApiKey key : keys.ofIamUser(target.iamUser())) {
            if (key.status().live()
                    && keys.markRevoked(key.id(), key.status(), reason, "system")) {
                log.info("Key {} ({}…) of {} revoked by decommissioning", key.id(), key.prefix(), key.iamUser());
            }
        }
        if (done.isEmpty()) {
            done.add(new Deleted(target.iamUser(), "no keys left"));
        }
        return done;
    }

    @Transactional(noRollbackFor = CloudException.class)
    public Deleted deletePolicy(Target target) {
        boolean deleted = policies.deleteUserPolicy(target.iamUser(), policyName());
        // An application with 12-hour keys has a role of that name instead: its policy goes too, which ends the
        // access of every 12-hour key issued before (a session's permissions are evaluated on each call).
        deleted |= roles.deleteRolePolicy(target.iamUser(), policyName());
        // A suspension's deny of older sessions goes too (a role with inline policies cannot be deleted).
        roles.deleteRolePolicy(target.iamUser(), ApplicationRoles.REVOKED_SESSIONS_POLICY);
        return new Deleted(target.iamUser() + "/" + policyName(), deleted ? "deleted inline policy" : "already gone");
    }

    @Transactional(noRollbackFor = CloudException.class)
    public Deleted deleteBudget(Target target) {
        if (target.budgetName() == null) {
            return new Deleted("-", "no budget recorded");
        }
        return new Deleted(target.budgetName(), budgets.deleteBudget(target.budgetName()) ? "deleted budget"
                : "already gone");
    }

    @Transactional(noRollbackFor = CloudException.class)
    public Deleted deleteSecret(Target target) {
        if (target.secretName() == null) {
            return new Deleted("-", "no secret recorded");
        }
        boolean scheduled = secrets.deleteSecret(target.secretName(), settings.secretRecoveryWindow());
        return new Deleted(target.secretName(), scheduled ? "scheduled for deletion after "
                + settings.secretRecoveryWindow().toDays() + " days (can be restored until then)"
                : "already gone or scheduled for deletion");
    }

    @Transactional(noRollbackFor = CloudException.class)
    public Deleted deleteUser(Target target) {
        if (roles.deleteRole(target.iamUser())) {
            return new Deleted(target.iamUser(), "deleted IAM role (12-hour keys)");
        }
        return new Deleted(target.iamUser(), users.deleteUser(target.iamUser()) ? "deleted IAM user"
                : "already gone");
    }
}
