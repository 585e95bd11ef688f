package com.bedrockportal.sandbox;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.bedrockportal.provisioning.AccountIdentity;
import com.bedrockportal.provisioning.AccountPosture;
import com.bedrockportal.provisioning.BudgetReadings;
import com.bedrockportal.provisioning.Budgets;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.CloudException.Kind;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.PermissionCheck;
import com.bedrockportal.provisioning.PolicySize;
import com.bedrockportal.provisioning.Secrets;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.provisioning.UserPolicies;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * A simulated AWS account kept in the portal's database, implementing every cloud port of the provisioning module (one
 * section per port). It enforces the rules a user would hit in AWS — IAM name and tag rules, tags set at creation, at
 * most two service-specific credentials per service per user, credential age of 1 to 36600 days with the expiry
 * computed, a user with credentials or policies cannot be deleted, unique budget and secret names, the 2,048-character
 * limit of a user's inline policies together (counted by {@link PolicySize#count}, as IAM counts) — and returns keys
 * shaped like real ones. It never stores a key or a secret value: only a SHA-256 fingerprint.
 */
@Transactional(noRollbackFor = CloudException.class)
public class SimulatedAccount implements IamUsers, UserPolicies, ServiceCredentials, Budgets, Secrets, AccountIdentity,
        PermissionCheck, AccountPosture, BudgetReadings {

    static final Set<String> SERVICES = Set.of(BEDROCK_SERVICE, "codecommit.amazonaws.com", "cassandra.amazonaws.com");
    private static final Pattern USER_NAME = Pattern.compile("^[\\w+=,.@-]{1,64}$");
    private static final Pattern POLICY_NAME = Pattern.compile("^[\\w+=,.@-]{1,128}$");
    private static final Pattern PATH = Pattern.compile("^/([\\x21-\\x7E]{1,510}/)?$");
    private static final Pattern TAG = Pattern.compile("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$");
    private static final Pattern SECRET_NAME = Pattern.compile("^[\\w/+=.@-]{1,512}$");
    private static final int MAX_CREDENTIALS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcClient jdbc;
    private final SandboxAccountProperties account;
    private volatile SandboxProperties faults;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
    private final SimulatedActivity activity;

    public SimulatedAccount(JdbcClient jdbc, SandboxAccountProperties account, SandboxProperties faults,
            Clock clock) {
        this(jdbc, account, faults, clock, 0L);
    }

    /**
     * @param seed varies the simulated use of every key ({@code portal.sandbox.seed}): the same seed gives the same
     *             calls, tokens and spend; 0 is the default
     */
    public SimulatedAccount(JdbcClient jdbc, SandboxAccountProperties account, SandboxProperties faults,
            Clock clock, long seed) {
        this.jdbc = jdbc;
        this.account = account;
        this.faults = faults;
        this.clock = clock;
        this.activity = new SimulatedActivity(jdbc, this, account, clock, seed);
    }

    /**
     * The account's CloudTrail event history and Cost Explorer ({@link com.bedrockportal.provisioning.ActivityTrail},
     * {@link com.bedrockportal.provisioning.SpendReports}): the calls made with its keys and what they cost.
     */
    public SimulatedActivity activity() {
        return activity;
    }

    /** Changes the fault injection at run time (admins rehearsing failures, tests). */
    public void rehearse(SandboxProperties faults) {
        this.faults = faults;
    }

    public SandboxProperties faults() {
        return faults;
    }

    Clock clock() {
        return clock;
    }

    // --- AccountIdentity

    @Override
    public CallerIdentity callerIdentity() {
        call("GetCallerIdentity");
        return new CallerIdentity(account.id(), "arn:aws:iam::" + account.id() + ":user/bedrock-portal-sandbox",
                "AIDASANDBOXPORTAL0001");
    }

    // --- PermissionCheck

    /** The simulated account's identity may do everything the portal needs. */
    @Override
    public List<String> deniedActions(List<String> actions) {
        call("SimulatePrincipalPolicy");
        return List.of();
    }

    /**
     * The simulated account reads the policy as the portal writes it: a case is allowed when a statement allowing its
     * action names its resource (or "*") and the case's region and source address are among the statement's
     * {@code aws:RequestedRegion} and {@code aws:SourceIp} values (address: inside one of the ranges).
     */
    @Override
    public List<SimulationCase> notAllowedBy(String policyJson, List<SimulationCase> cases) {
        call("SimulateCustomPolicy");
        return cases.stream().filter(c -> !SimulatedPolicy.allows(policyJson, c)).toList();
    }

    // --- IamUsers

    @Override
    public Optional<IamUser> findUser(String userName) {
        call("GetUser");
        return jdbc.sql("select * from sandbox_iam_user where user_name = :u").param("u", userName)
                .query((rs, i) -> new IamUser(rs.getString("user_name"), rs.getString("arn"), rs.getString("path"),
                        tags(userName), rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    @Override
    public IamUser createUser(String userName, String path, Map<String, String> tags) {
        call("CreateUser");
        if (!USER_NAME.matcher(userName).matches()) {
            throw new CloudException(Kind.INVALID_INPUT, "CreateUser", "1 validation error detected: Value '" + userName
                    + "' at 'userName' failed to satisfy constraint: must match [\\w+=,.@-]{1,64}");
        }
        if (!PATH.matcher(path).matches()) {
            throw new CloudException(Kind.INVALID_INPUT, "CreateUser", "invalid path '" + path
                    + "': must begin and end with /");
        }
        validateTags("CreateUser", tags);
        String arn = "arn:aws:iam::" + account.id() + ":user" + path + userName;
        try {
            jdbc.sql("""
                    insert into sandbox_iam_user (user_name, path, arn, created_at) values (:u, :p, :arn, :now)""")
                    .param("u", userName).param("p", path).param("arn", arn).param("now", now()).update();
        } catch (DuplicateKeyException e) {
            throw new CloudException(Kind.ALREADY_EXISTS, "CreateUser", "User with name " + userName
                    + " already exists.", e);
        }
        tags.forEach((k, v) -> jdbc.sql("insert into sandbox_iam_user_tag (user_name, tag_key, tag_value) values (:u, :k, :v)")
                .param("u", userName).param("k", k).param("v", v).update());
        trail(userName, "CreateUser");
        return findUser(userName).orElseThrow();
    }

    // --- UserPolicies

    @Override
    public Optional<String> findUserPolicy(String userName, String policyName) {
        call("GetUserPolicy");
        requireUser("GetUserPolicy", userName);
        return jdbc.sql("select document from sandbox_user_policy where user_name = :u and policy_name = :p")
                .param("u", userName).param("p", policyName).query(String.class).optional();
    }

    @Override
    public void putUserPolicy(String userName, String policyName, String policyJson) {
        call("PutUserPolicy");
        requireUser("PutUserPolicy", userName);
        if (!POLICY_NAME.matcher(policyName).matches()) {
            throw new CloudException(Kind.INVALID_INPUT, "PutUserPolicy", "invalid policy name '" + policyName + "'");
        }
        try {
            JSON.readTree(policyJson);
        } catch (JsonProcessingException e) {
            throw new CloudException(Kind.INVALID_INPUT, "PutUserPolicy", "MalformedPolicyDocument: not JSON", e);
        }
        int others = jdbc.sql("select document from sandbox_user_policy where user_name = :u and policy_name <> :p")
                .param("u", userName).param("p", policyName).query(String.class).list().stream()
                .mapToInt(PolicySize::count).sum();
        // Counted as IAM counts (whitespace between tokens is free), by the portal's one measurement.
        if (others + PolicySize.count(policyJson) > PolicySize.INLINE_USER_POLICY_LIMIT) {
            throw new CloudException(Kind.LIMIT_EXCEEDED, "PutUserPolicy", "Maximum policy size of 2048 bytes "
                    + "exceeded for user " + userName);
        }
        int updated = jdbc.sql("update sandbox_user_policy set document = :d where user_name = :u and policy_name = :p")
                .param("d", policyJson).param("u", userName).param("p", policyName).update();
        if (updated == 0) {
            jdbc.sql("insert into sandbox_user_policy (user_name, policy_name, document) values (:u, :p, :d)")
                    .param("u", userName).param("p", policyName).param("d", policyJson).update();
        }
        trail(userName, "PutUserPolicy");
    }

    // --- ServiceCredentials

    @Override
    public List<ServiceCredential> listServiceCredentials(String userName, String serviceName) {
        call("ListServiceSpecificCredentials");
        requireUser("ListServiceSpecificCredentials", userName);
        Instant now = clock.instant();
        return jdbc.sql("""
                select * from sandbox_credential where user_name = :u and (:all or service_name = :s)
                order by created_at, id""")
                .param("u", userName).param("all", serviceName == null).param("s", serviceName == null ? "" : serviceName)
                .query((rs, i) -> {
                    Instant expires = rs.getObject("expires_at", OffsetDateTime.class).toInstant();
                    String status = expires.isBefore(now) ? "Expired" : rs.getString("status");
                    return new ServiceCredential(rs.getString("id"), userName, rs.getString("service_name"), status,
                            rs.getObject("created_at", OffsetDateTime.class).toInstant(), expires);
                }).list();
    }

    @Override
    public NewServiceCredential createServiceCredential(String userName, String serviceName, int credentialAgeDays) {
        call("CreateServiceSpecificCredential");
        requireUser("CreateServiceSpecificCredential", userName);
        if (!SERVICES.contains(serviceName)) {
            throw new CloudException(Kind.INVALID_INPUT, "CreateServiceSpecificCredential", "No such service "
                    + serviceName + " is supported for Service-Specific Credentials");
        }
        if (credentialAgeDays < 1 || credentialAgeDays > 36600) {
            throw new CloudException(Kind.INVALID_INPUT, "CreateServiceSpecificCredential",
                    "credentialAgeDays must be between 1 and 36600");
        }
        long existing = jdbc.sql("select count(*) from sandbox_credential where user_name = :u and service_name = :s")
                .param("u", userName).param("s", serviceName).query(Long.class).single();
        if (existing >= MAX_CREDENTIALS) {
            throw new CloudException(Kind.LIMIT_EXCEEDED, "CreateServiceSpecificCredential",
                    "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: " + MAX_CREDENTIALS);
        }
        String id = "ACCA" + randomAlnum(17);
        Instant created = clock.instant();
        Instant expires = created.plus(Duration.ofDays(credentialAgeDays));
        char[] secret = newApiKey();
        jdbc.sql("""
                insert into sandbox_credential (id, user_name, service_name, status, created_at, expires_at, fingerprint)
                values (:id, :u, :s, 'Active', :created, :expires, :fp)""")
                .param("id", id).param("u", userName).param("s", serviceName)
                .param("created", created.atOffset(ZoneOffset.UTC)).param("expires", expires.atOffset(ZoneOffset.UTC))
                .param("fp", fingerprint(secret)).update();
        if (BEDROCK_SERVICE.equals(serviceName)) {
            activity.keyCreated(id, userName, created, expires);
        }
        trail(userName, "CreateServiceSpecificCredential");
        return new NewServiceCredential(new ServiceCredential(id, userName, serviceName, "Active", created, expires),
                secret);
    }

    @Override
    public void updateServiceCredentialStatus(String userName, String credentialId, boolean active) {
        call("UpdateServiceSpecificCredential", userName);
        if (jdbc.sql("update sandbox_credential set status = :s where id = :id and user_name = :u")
                .param("s", active ? "Active" : "Inactive").param("id", credentialId).param("u", userName)
                .update() == 0) {
            throw new CloudException(Kind.NOT_FOUND, "UpdateServiceSpecificCredential", "No such credential "
                    + credentialId);
        }
        activity.keyStatusChanged(credentialId, active, clock.instant());
        trail(userName, "UpdateServiceSpecificCredential");
    }

    @Override
    public void deleteServiceCredential(String userName, String credentialId) {
        call("DeleteServiceSpecificCredential");
        if (jdbc.sql("delete from sandbox_credential where id = :id and user_name = :u").param("id", credentialId)
                .param("u", userName).update() == 0) {
            throw new CloudException(Kind.NOT_FOUND, "DeleteServiceSpecificCredential", "No such credential "
                    + credentialId);
        }
        activity.keyDeleted(credentialId, clock.instant());
        trail(userName, "DeleteServiceSpecificCredential");
    }

    // --- Budgets

    @Override
    public Optional<BudgetSpec> findBudget(String budgetName) {
        call("DescribeBudget");
        return jdbc.sql("select spec from sandbox_budget where budget_name = :n").param("n", budgetName)
                .query(String.class).optional().map(SimulatedAccount::readBudget);
    }

    @Override
    public void createBudget(BudgetSpec spec) {
        call("CreateBudget");
        validateBudget("CreateBudget", spec);
        try {
            jdbc.sql("insert into sandbox_budget (budget_name, spec, updated_at) values (:n, :s, :now)")
                    .param("n", spec.name()).param("s", writeBudget(spec)).param("now", now()).update();
        } catch (DuplicateKeyException e) {
            throw new CloudException(Kind.ALREADY_EXISTS, "CreateBudget", "DuplicateRecordException: the budget "
                    + spec.name() + " already exists", e);
        }
    }

    @Override
    public void updateBudget(BudgetSpec spec) {
        call("UpdateBudget");
        validateBudget("UpdateBudget", spec);
        if (jdbc.sql("update sandbox_budget set spec = :s, updated_at = :now where budget_name = :n")
                .param("s", writeBudget(spec)).param("now", now()).param("n", spec.name()).update() == 0) {
            throw new CloudException(Kind.NOT_FOUND, "UpdateBudget", "NotFoundException: no budget " + spec.name());
        }
    }

    // --- Secrets

    @Override
    public Optional<Found> lookUp(String name) {
        call("DescribeSecret");
        return secretRow(name);
    }

    @Override
    public String createSecret(String name, char[] value, Map<String, String> tags, String description) {
        call("CreateSecret");
        if (!SECRET_NAME.matcher(name).matches()) {
            throw new CloudException(Kind.INVALID_INPUT, "CreateSecret", "invalid secret name '" + name + "'");
        }
        validateTags("CreateSecret", tags);
        String arn = "arn:aws:secretsmanager:" + account.region() + ":" + account.id() + ":secret:" + name + "-"
                + randomAlnum(6);
        try {
            jdbc.sql("""
                    insert into sandbox_secret (name, arn, fingerprint, current_version, description, created_at)
                    values (:n, :arn, :fp, :v, :d, :now)""")
                    .param("n", name).param("arn", arn).param("fp", fingerprint(value))
                    .param("v", UUID.randomUUID().toString()).param("d", description).param("now", now()).update();
        } catch (DuplicateKeyException e) {
            throw new CloudException(Kind.ALREADY_EXISTS, "CreateSecret", "ResourceExistsException: the secret "
                    + name + " already exists", e);
        }
        return arn;
    }

    @Override
    public void putSecretValue(String name, char[] value) {
        call("PutSecretValue");
        refuseIfScheduledForDeletion("PutSecretValue", name);
        if (jdbc.sql("update sandbox_secret set fingerprint = :fp, current_version = :v where name = :n")
                .param("fp", fingerprint(value)).param("v", UUID.randomUUID().toString()).param("n", name)
                .update() == 0) {
            throw secretNotFound("PutSecretValue", name);
        }
    }

    @Override
    public void stagePendingValue(String name, String versionId, char[] value) {
        call("PutSecretValue");
        if (versionId.length() < 32 || versionId.length() > 64) {
            throw new CloudException(Kind.INVALID_INPUT, "PutSecretValue", "ClientRequestToken must be 32 to 64 "
                    + "characters");
        }
        refuseIfScheduledForDeletion("PutSecretValue", name);
        String fp = fingerprint(value);
        List<Map<String, Object>> rows = jdbc.sql("""
                select current_version, pending_version, pending_fingerprint from sandbox_secret where name = :n""")
                .param("n", name).query().listOfRows();
        if (rows.isEmpty()) {
            throw secretNotFound("PutSecretValue", name);
        }
        if (versionId.equals(rows.get(0).get("pending_version")) || versionId.equals(rows.get(0)
                .get("current_version"))) {
            if (versionId.equals(rows.get(0).get("pending_version")) && !fp.equals(rows.get(0)
                    .get("pending_fingerprint"))) {
                throw new CloudException(Kind.ALREADY_EXISTS, "PutSecretValue", "ResourceExistsException: version "
                        + versionId + " of " + name + " holds another value");
            }
            return; // the same version again: nothing new
        }
        jdbc.sql("update sandbox_secret set pending_version = :v, pending_fingerprint = :fp where name = :n")
                .param("v", versionId).param("fp", fp).param("n", name).update();
    }

    @Override
    public Optional<String> currentVersion(String name) {
        call("DescribeSecret");
        return jdbc.sql("select current_version from sandbox_secret where name = :n").param("n", name)
                .query((rs, i) -> Optional.ofNullable(rs.getString(1))).optional().flatMap(v -> v);
    }

    @Override
    public boolean promote(String name, String versionId) {
        call("UpdateSecretVersionStage");
        refuseIfScheduledForDeletion("UpdateSecretVersionStage", name);
        List<Map<String, Object>> rows = jdbc.sql("select current_version, pending_version from sandbox_secret "
                + "where name = :n").param("n", name).query().listOfRows();
        if (rows.isEmpty()) {
            throw secretNotFound("UpdateSecretVersionStage", name);
        }
        if (versionId.equals(rows.get(0).get("current_version"))) {
            return false;
        }
        if (jdbc.sql("""
                update sandbox_secret set fingerprint = pending_fingerprint, current_version = pending_version,
                  pending_version = null, pending_fingerprint = null
                where name = :n and pending_version = :v""").param("n", name).param("v", versionId).update() == 0) {
            throw new CloudException(Kind.NOT_FOUND, "UpdateSecretVersionStage", "ResourceNotFoundException: "
                    + name + " has no version " + versionId);
        }
        return true;
    }

    @Override
    public boolean restoreSecret(String name) {
        call("RestoreSecret");
        if (jdbc.sql("update sandbox_secret set deletion_date = null where name = :n and deletion_date is not null")
                .param("n", name).update() == 1) {
            return true;
        }
        if (secretRow(name).isEmpty()) {
            throw secretNotFound("RestoreSecret", name);
        }
        return false;
    }

    /** As Secrets Manager: a secret scheduled for deletion takes no new value until it is restored. */
    private void refuseIfScheduledForDeletion(String operation, String name) {
        if (secretRow(name).map(Found::deletionScheduled).orElse(false)) {
            throw new CloudException(Kind.INVALID_INPUT, operation, "InvalidRequestException: You can't perform "
                    + "this operation on the secret because it was marked for deletion.");
        }
    }

    /** The secret's row, read without counting an API call. */
    private Optional<Found> secretRow(String name) {
        return jdbc.sql("select arn, deletion_date from sandbox_secret where name = :n").param("n", name)
                .query((rs, i) -> new Found(rs.getString(1), rs.getObject(2) != null)).optional();
    }

    /** Whether whoever reads the secret by default (AWSCURRENT) gets {@code value}: compared by fingerprint. */
    public boolean secretReadsAs(String name, char[] value) {
        return jdbc.sql("select fingerprint from sandbox_secret where name = :n").param("n", name).query(String.class)
                .optional().filter(fingerprint(value)::equals).isPresent();
    }

    private static CloudException secretNotFound(String operation, String name) {
        return new CloudException(Kind.NOT_FOUND, operation, "ResourceNotFoundException: Secrets Manager can't "
                + "find the specified secret " + name);
    }

    // --- rules and helpers

    /** How many API calls the simulated account has answered (for benchmarks). */
    public long calls() {
        return calls.get();
    }

    /** Answers one API call: counts it and applies the fault injection ({@code portal.sandbox.*}). */
    void call(String operation) {
        call(operation, null);
    }

    /**
     * Answers one API call about {@code target} (an IAM user or budget name, or null): as {@link #call(String)}, and
     * with {@code portal.sandbox.fail-target} set, only the calls about that target fail.
     */
    void call(String operation, String target) {
        calls.incrementAndGet();
        SimulatedCallMetrics.called(operation);
        if (!faults.latency().isZero()) {
            try {
                Thread.sleep(faults.latency().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (operation.equalsIgnoreCase(faults.failOperation())
                && (faults.failTarget().isEmpty() || faults.failTarget().equals(target))) {
            throw new CloudException(Kind.valueOf(faults.failKind()), operation, "injected failure (portal.sandbox."
                    + "fail-operation)");
        }
        if (faults.throttlingRate() > 0 && random.nextDouble() < faults.throttlingRate()) {
            throw new CloudException(Kind.TRANSIENT, operation, "ThrottlingException: Rate exceeded");
        }
    }

    /**
     * Records the portal's successful IAM call on a user in the simulated CloudTrail. Read-only calls (GetUser,
     * List...) are left out: CloudTrail has them too, but the drift checks would bury the changes under them.
     */
    private void trail(String userName, String eventName) {
        activity.recordPortalCall(userName, eventName, clock.instant());
    }

    private void requireUser(String operation, String userName) {
        if (jdbc.sql("select count(*) from sandbox_iam_user where user_name = :u").param("u", userName)
                .query(Long.class).single() == 0) {
            throw new CloudException(Kind.NOT_FOUND, operation, "The user with name " + userName
                    + " cannot be found.");
        }
    }

    static void validateTags(String operation, Map<String, String> tags) {
        if (tags.size() > 50) {
            throw new CloudException(Kind.LIMIT_EXCEEDED, operation, "at most 50 tags");
        }
        tags.forEach((k, v) -> {
            if (k.isEmpty() || k.length() > 128 || v == null || v.length() > 256 || !TAG.matcher(k).matches()
                    || !TAG.matcher(v).matches() || k.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw new CloudException(Kind.INVALID_INPUT, operation, "invalid tag " + k + "=" + v);
            }
        });
    }

    private static void validateBudget(String operation, BudgetSpec spec) {
        if (spec.name().isEmpty() || spec.name().length() > 100 || spec.name().contains(":")
                || spec.name().contains("\\")) {
            throw new CloudException(Kind.INVALID_INPUT, operation, "invalid budget name " + spec.name());
        }
        if (spec.amountUsd().signum() <= 0) {
            throw new CloudException(Kind.INVALID_INPUT, operation, "the budget amount must be positive");
        }
        for (BudgetAlert alert : spec.alerts()) {
            if (alert.emails().isEmpty() || alert.emails().size() > 10) {
                throw new CloudException(Kind.INVALID_INPUT, operation, "a notification needs 1 to 10 subscribers");
            }
        }
    }

    private Map<String, String> tags(String userName) {
        Map<String, String> tags = new LinkedHashMap<>();
        jdbc.sql("select tag_key, tag_value from sandbox_iam_user_tag where user_name = :u order by tag_key")
                .param("u", userName).query((rs, i) -> tags.put(rs.getString(1), rs.getString(2))).list();
        return tags;
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    /** {@code ABSK} followed by base64, like Bedrock's long-term API keys; from a secure random source. */
    private char[] newApiKey() {
        byte[] raw = new byte[96];
        random.nextBytes(raw);
        byte[] encoded = Base64.getEncoder().encode(raw);
        char[] key = new char[4 + encoded.length];
        "ABSK".getChars(0, 4, key, 0);
        for (int i = 0; i < encoded.length; i++) {
            key[4 + i] = (char) encoded[i];
        }
        java.util.Arrays.fill(raw, (byte) 0);
        java.util.Arrays.fill(encoded, (byte) 0);
        return key;
    }

    private String randomAlnum(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    static String fingerprint(char[] secret) {
        try {
            var bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(secret));
            byte[] raw = new byte[bytes.remaining()];
            bytes.get(raw);
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
            java.util.Arrays.fill(raw, (byte) 0);
            return hex;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String writeBudget(BudgetSpec spec) {
        try {
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BudgetSpec readBudget(String json) {
        try {
            return JSON.readValue(json, BudgetSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- IamUsers, ownership handover (issue 10, owners)

    @Override
    public void tagUser(String userName, Map<String, String> tags) {
        call("TagUser");
        requireUser("TagUser", userName);
        validateTags("TagUser", tags);
        Map<String, String> after = new LinkedHashMap<>(tags(userName));
        after.putAll(tags);
        if (after.size() > 50) {
            throw new CloudException(Kind.LIMIT_EXCEEDED, "TagUser", "a user may have at most 50 tags");
        }
        tags.forEach((k, v) -> {
            if (jdbc.sql("update sandbox_iam_user_tag set tag_value = :v where user_name = :u and tag_key = :k")
                    .param("v", v).param("u", userName).param("k", k).update() == 0) {
                jdbc.sql("insert into sandbox_iam_user_tag (user_name, tag_key, tag_value) values (:u, :k, :v)")
                        .param("u", userName).param("k", k).param("v", v).update();
            }
        });
        trail(userName, "TagUser");
    }

    // --- drift reconciliation (read-only port operations; kept together at the end to ease merging)

    @Override
    public UserListing listUsers(String pathPrefix, int limit) {
        call("ListUsers");
        List<IamUser> users = jdbc.sql("""
                select * from sandbox_iam_user where path like :prefix escape '!' order by user_name limit :n""")
                .param("n", limit + 1).param("prefix", pathPrefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%")
                .query((rs, i) -> new IamUser(rs.getString("user_name"), rs.getString("arn"), rs.getString("path"),
                        Map.of(), rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .list();
        return users.size() > limit ? new UserListing(List.copyOf(users.subList(0, limit)), true)
                : new UserListing(users, false);
    }

    // --- drift for demos and tests (not port operations: what someone might do in the AWS console)

    // deleteBudget and deleteUserPolicy: the port operations below (decommissioning) serve the console too.

    /** Deletes a secret at once (no recovery window). @throws CloudException NOT_FOUND */
    public void deleteSecret(String name) {
        call("DeleteSecret");
        if (jdbc.sql("delete from sandbox_secret where name = :n").param("n", name).update() == 0) {
            throw new CloudException(Kind.NOT_FOUND, "DeleteSecret", "ResourceNotFoundException: Secrets Manager "
                    + "can't find the specified secret " + name);
        }
    }

    // --- Decommissioning (teardown of an application's resources): IamUsers, UserPolicies, Budgets, Secrets

    /** Deletes a user; like IAM, refuses while the user still has credentials or policies. */
    @Override
    public boolean deleteUser(String userName) {
        call("DeleteUser");
        if (!userExists(userName)) {
            return false;
        }
        long attached = jdbc.sql("select count(*) from sandbox_user_policy where user_name = :u").param("u", userName)
                .query(Long.class).single()
                + jdbc.sql("select count(*) from sandbox_credential where user_name = :u").param("u", userName)
                        .query(Long.class).single();
        if (attached > 0) {
            throw new CloudException(Kind.CONFLICT, "DeleteUser", "Cannot delete entity, must delete policies and "
                    + "service-specific credentials first.");
        }
        jdbc.sql("delete from sandbox_iam_user_tag where user_name = :u").param("u", userName).update();
        boolean deleted = jdbc.sql("delete from sandbox_iam_user where user_name = :u").param("u", userName)
                .update() > 0;
        trail(userName, "DeleteUser");
        return deleted;
    }

    @Override
    public boolean deleteUserPolicy(String userName, String policyName) {
        call("DeleteUserPolicy");
        boolean deleted = jdbc.sql("delete from sandbox_user_policy where user_name = :u and policy_name = :p")
                .param("u", userName).param("p", policyName).update() > 0;
        if (deleted) {
            trail(userName, "DeleteUserPolicy");
        }
        return deleted;
    }

    @Override
    public boolean deleteBudget(String budgetName) {
        call("DeleteBudget");
        return jdbc.sql("delete from sandbox_budget where budget_name = :n").param("n", budgetName).update() > 0;
    }

    /** Like Secrets Manager: the secret stays (its name taken) until the window has passed, marked for deletion. */
    @Override
    public boolean deleteSecret(String name, Duration recoveryWindow) {
        call("DeleteSecret");
        long days = recoveryWindow.toDays();
        if (!recoveryWindow.equals(Duration.ofDays(days)) || days < MIN_RECOVERY_DAYS || days > MAX_RECOVERY_DAYS) {
            throw new CloudException(Kind.INVALID_INPUT, "DeleteSecret", "InvalidParameterException: The "
                    + "RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }
        return jdbc.sql("update sandbox_secret set deletion_date = :at where name = :n and deletion_date is null")
                .param("at", clock.instant().plus(recoveryWindow).atOffset(ZoneOffset.UTC)).param("n", name)
                .update() > 0;
    }

    /** When a secret is due to be deleted, if it is scheduled (the sandbox's view of DescribeSecret's DeletedDate). */
    public Optional<Instant> secretDeletionDate(String name) {
        return jdbc.sql("select deletion_date from sandbox_secret where name = :n").param("n", name)
                .query((rs, i) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class))
                        .map(OffsetDateTime::toInstant))
                .optional().flatMap(d -> d);
    }

    private boolean userExists(String userName) {
        return jdbc.sql("select count(*) from sandbox_iam_user where user_name = :u").param("u", userName)
                .query(Long.class).single() > 0;
    }

    // --- AccountPosture (the account posture page). One line is red by default, so the page shows what red looks
    // like: model invocation logging is off until an admin turns it on in the simulated account's console.

    /** The simulated account's one trail: multi-region, logging every management event. */
    static final String TRAIL_NAME = "bedrock-portal-sandbox-trail";
    private volatile boolean invocationLogging;

    /** Turns Bedrock model invocation logging of every region on or off (the console's toggle; until the next start). */
    public void invocationLogging(boolean enabled) {
        this.invocationLogging = enabled;
    }

    public boolean invocationLoggingEnabled() {
        return invocationLogging;
    }

    @Override
    public List<Trail> trails() {
        call("DescribeTrails");
        call("GetTrailStatus");
        call("GetEventSelectors");
        return List.of(new Trail(TRAIL_NAME, "arn:aws:cloudtrail:" + account.region() + ":" + account.id() + ":trail/"
                + TRAIL_NAME, account.region(), true, false, true, ManagementEvents.ALL, false, null));
    }

    @Override
    public InvocationLogging invocationLogging(String region) {
        call("GetModelInvocationLoggingConfiguration");
        return invocationLogging ? new InvocationLogging(region, true, "/aws/bedrock/model-invocations", null, true)
                : new InvocationLogging(region, false, null, null, false);
    }

    /** Every tag key the simulated account is asked about is an active cost-allocation tag. */
    @Override
    public Map<String, TagStatus> costAllocationTags(List<String> tagKeys) {
        call("ListCostAllocationTags");
        if (tagKeys.isEmpty() || tagKeys.size() > 100) {
            throw new CloudException(Kind.INVALID_INPUT, "ListCostAllocationTags", "TagKeys: 1 to 100 keys");
        }
        Map<String, TagStatus> statuses = new LinkedHashMap<>();
        tagKeys.forEach(k -> statuses.put(k, TagStatus.ACTIVE));
        return statuses;
    }

    @Override
    public Credentials credentials() {
        call("GetCallerIdentity");
        return new Credentials(CredentialKind.SIMULATED, "arn:aws:iam::" + account.id() + ":user/bedrock-portal-sandbox");
    }

    // --- BudgetReadings (usage collection)

    /**
     * The budget's month so far, as AWS Budgets' {@code DescribeBudget} gives it: the actual spend is the simulated
     * spend of the month under the budget's tags (the unit's, and the application's when set) up to now; the forecast
     * extends the month's average day to the whole month.
     */
    @Override
    public Optional<BudgetReading> reading(String budgetName) {
        call("DescribeBudget", budgetName);
        Optional<BudgetSpec> spec = jdbc.sql("select spec from sandbox_budget where budget_name = :n")
                .param("n", budgetName).query(String.class).optional().map(SimulatedAccount::readBudget);
        if (spec.isEmpty()) {
            return Optional.empty();
        }
        java.time.LocalDate today = java.time.LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        java.time.LocalDate first = today.withDayOfMonth(1);
        java.math.BigDecimal actual = activity.spendOf(spec.get().businessUnitTag(), spec.get().applicationTag(),
                first, today.plusDays(1)).setScale(2, java.math.RoundingMode.HALF_UP);
        long elapsed = today.getDayOfMonth();
        java.math.BigDecimal forecast = actual.multiply(java.math.BigDecimal.valueOf(today.lengthOfMonth()))
                .divide(java.math.BigDecimal.valueOf(elapsed), 2, java.math.RoundingMode.HALF_UP);
        return Optional.of(new BudgetReading(budgetName, spec.get().amountUsd(), actual, forecast));
    }
}
