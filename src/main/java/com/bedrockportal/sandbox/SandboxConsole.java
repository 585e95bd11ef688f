package com.bedrockportal.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.provisioning.ActivityTrail;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.provisioning.ServiceCredentials.ServiceCredential;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.annotation.security.RolesAllowed;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.transaction.annotation.Transactional;

/**
 * The simulated account's console for admins (sandbox mode only; the bean and its page do not exist in aws mode):
 * make drift as someone working in the AWS console would — a key added to an application's IAM user outside the
 * portal, a key disabled or deleted, the policy edited or deleted, the budget or secret deleted — and change the
 * fault injection at run time. Every change is audited. A key created here is thrown away at once: nobody sees it.
 */
public class SandboxConsole {

    public static final String AUDIT_DRIFT = "SANDBOX_DRIFT_MADE";
    public static final String AUDIT_FAULTS = "SANDBOX_FAULTS_CHANGED";
    private static final Duration MAX_LATENCY = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An IPv4 address, or an IPv6 one (hex digits and colons, optionally with a dotted IPv4 tail). */
    private static final java.util.regex.Pattern IP_ADDRESS = java.util.regex.Pattern.compile(
            "^((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)$|^[0-9a-fA-F:]{2,39}(:[0-9.]{7,15})?$");

    /** The fault injection in force. {@code failOperation} empty: none. */
    public record Faults(Duration latency, double throttlingRate, String failOperation, String failKind) {
    }

    /** An application as the console lists it: the names of its resources in the account. */
    public record AppTarget(long id, String slug, String iamUser, String budgetName, String secretName) {
    }

    private final SimulatedAccount account;
    /**
     * Looked up when the page asks, not at start-up: the sandbox module is also started on its own with the
     * provisioning module (its module test), where no application module exists.
     */
    private final ObjectProvider<ApplicationService> applications;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final String policyName;

    SandboxConsole(SimulatedAccount account, ObjectProvider<ApplicationService> applications, AuditLog audit, CurrentUser currentUser,
            @Value("${portal.provisioning.policy-name:bedrock-access-portal}") String policyName) {
        this.account = account;
        this.applications = applications;
        this.audit = audit;
        this.currentUser = currentUser;
        this.policyName = policyName;
    }

    /**
     * A page of the active applications whose slug or IAM user contains {@code filter}, oldest first: the console's
     * choice of a target, asked for as the admin types and scrolls (never every application at once).
     */
    @RolesAllowed(PortalRole.ADMIN_ROLE)
    public List<AppTarget> applications(String filter, int offset, int limit) {
        return applications.getObject().activeMatching(filter, offset, limit).stream()
                .map(a -> new AppTarget(a.id(), a.slug(), a.names().iamUser(),
                        a.names().budgetName(), a.names().secretName()))
                .toList();
    }

    /** The Bedrock keys the account has for the user (empty when the user is not there). */
    @RolesAllowed(PortalRole.ADMIN_ROLE)
    public List<ServiceCredential> keys(String iamUser) {
        try {
            return account.listServiceCredentials(iamUser, ServiceCredentials.BEDROCK_SERVICE);
        } catch (CloudException e) {
            return List.of();
        }
    }

    /** Adds a key to the user outside the portal; the key itself is overwritten at once. @return its id */
    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public String addKeyOutsidePortal(String iamUser) {
        ServiceCredentials.NewServiceCredential c = account.createServiceCredential(iamUser,
                ServiceCredentials.BEDROCK_SERVICE, 30);
        java.util.Arrays.fill(c.secret(), '\0');
        String id = c.credential().credentialId();
        made("key " + id + " added to " + iamUser + " outside the portal");
        return id;
    }

    /**
     * Records a Bedrock {@code InvokeModel} made with the key now, from {@code sourceIp} (blank: the key's usual
     * address), as a leaked copy of the key would make it: the simulated CloudTrail and spend show it.
     * @throws IllegalArgumentException when the address is not an IP address
     * @throws CloudException NOT_FOUND when the account never had the key
     */
    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public ActivityTrail.TrailEvent recordCall(String credentialId, String sourceIp) {
        String ip = sourceIp == null || sourceIp.isBlank() ? null : sourceIp.strip();
        if (ip != null && !IP_ADDRESS.matcher(ip).matches()) {
            throw new IllegalArgumentException("not an IP address: " + ip);
        }
        ActivityTrail.TrailEvent event = account.activity().record(new SimulatedActivity.Invocation(credentialId,
                account.clock().instant(), "InvokeModel", ip, null, null, null, null));
        made("Bedrock call with key " + credentialId + " recorded from " + event.sourceIp());
        return event;
    }

    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public void setKeyStatus(String iamUser, String credentialId, boolean active) {
        account.updateServiceCredentialStatus(iamUser, credentialId, active);
        made("key " + credentialId + " of " + iamUser + " set " + (active ? "Active" : "Inactive"));
    }

    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public void deleteKey(String iamUser, String credentialId) {
        account.deleteServiceCredential(iamUser, credentialId);
        made("key " + credentialId + " of " + iamUser + " deleted");
    }

    /** Adds a statement to the user's policy (or puts a one-statement policy), as a hand edit would. */
    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public void editPolicy(String iamUser) {
        ObjectNode policy;
        try {
            if (!(JSON.readTree(account.findUserPolicy(iamUser, policyName)
                    .orElse("{\"Version\":\"2012-10-17\",\"Statement\":[]}")) instanceof ObjectNode document)) {
                throw new IllegalStateException("the policy in the simulated account is not a JSON object");
            }
            policy = document;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the policy in the simulated account is not JSON", e);
        }
        ArrayNode statements = policy.withArray("Statement");
        statements.addObject().put("Sid", "AddedInConsole").put("Effect", "Allow")
                .put("Action", "bedrock:ListFoundationModels").put("Resource", "*");
        account.putUserPolicy(iamUser, policyName, policy.toString());
        made("policy " + policyName + " of " + iamUser + " edited (statement AddedInConsole)");
    }

    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public void deletePolicy(String iamUser) {
        account.deleteUserPolicy(iamUser, policyName);
        made("policy " + policyName + " of " + iamUser + " deleted");
    }

    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public void deleteBudget(String budgetName) {
        account.deleteBudget(budgetName);
        made("budget " + budgetName + " deleted");
    }

    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public void deleteSecret(String secretName) {
        account.deleteSecret(secretName);
        made("secret " + secretName + " deleted");
    }

    @RolesAllowed(PortalRole.ADMIN_ROLE)
    public Faults faults() {
        SandboxProperties f = account.faults();
        return new Faults(f.latency(), f.throttlingRate(), f.failOperation(), f.failKind());
    }

    /** The fault kinds an operation can be made to fail with. */
    public static List<String> failKinds() {
        List<String> kinds = new ArrayList<>();
        for (CloudException.Kind k : CloudException.Kind.values()) {
            kinds.add(k.name());
        }
        return kinds;
    }

    /**
     * Changes the fault injection at once (until the next start, which reads {@code portal.sandbox.*} again).
     * @throws IllegalArgumentException with a message for the admin when a value is out of range
     */
    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public Faults setFaults(Faults faults) {
        if (faults.latency() == null || faults.latency().isNegative() || faults.latency().compareTo(MAX_LATENCY) > 0) {
            throw new IllegalArgumentException("latency must be between PT0S and " + MAX_LATENCY);
        }
        if (!(faults.throttlingRate() >= 0 && faults.throttlingRate() <= 1)) {
            throw new IllegalArgumentException("throttling rate must be between 0 and 1");
        }
        String operation = faults.failOperation() == null ? "" : faults.failOperation().strip();
        if (operation.length() > 64 || !operation.chars().allMatch(Character::isLetterOrDigit)) {
            throw new IllegalArgumentException("fail operation: an AWS operation name such as CreateBudget, or empty");
        }
        String kind = faults.failKind() == null ? "TRANSIENT" : faults.failKind().strip().toUpperCase(Locale.ROOT);
        if (!failKinds().contains(kind)) {
            throw new IllegalArgumentException("fail kind must be one of " + failKinds());
        }
        Faults before = faults();
        account.rehearse(new SandboxProperties(faults.latency(), faults.throttlingRate(), operation, kind));
        Faults after = faults();
        audit.record(currentUser.usernameOrAnonymous(), AUDIT_FAULTS, "sandbox", before + " → " + after);
        return after;
    }

    /** Whether the simulated account has Bedrock model invocation logging on (the account posture page checks it). */
    @RolesAllowed(PortalRole.ADMIN_ROLE)
    public boolean invocationLogging() {
        return account.invocationLoggingEnabled();
    }

    /** Turns the simulated account's model invocation logging on or off, as an admin would in the Bedrock console. */
    @RolesAllowed(PortalRole.ADMIN_ROLE)
    @Transactional
    public void setInvocationLogging(boolean enabled) {
        account.invocationLogging(enabled);
        made("Bedrock model invocation logging turned " + (enabled ? "on" : "off"));
    }

    private void made(String what) {
        audit.record(currentUser.usernameOrAnonymous(), AUDIT_DRIFT, "sandbox", what);
    }
}
