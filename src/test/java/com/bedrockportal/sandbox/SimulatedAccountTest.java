package com.bedrockportal.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import com.bedrockportal.provisioning.AccountIdentity;
import com.bedrockportal.provisioning.AccountIdentityContract;
import com.bedrockportal.provisioning.AccountPosture;
import com.bedrockportal.provisioning.AccountPostureContract;
import com.bedrockportal.provisioning.Budgets;
import com.bedrockportal.provisioning.BudgetsContract;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.IamUsersContract;
import com.bedrockportal.provisioning.PermissionCheck;
import com.bedrockportal.provisioning.PermissionCheckContract;
import com.bedrockportal.provisioning.PolicySize;
import com.bedrockportal.provisioning.Secrets;
import com.bedrockportal.provisioning.SecretsContract;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.provisioning.ServiceCredentialsContract;
import com.bedrockportal.provisioning.UserPolicies;
import com.bedrockportal.provisioning.UserPoliciesContract;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.bedrockportal.provisioning.Contracts.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulated account passes every port's contract, plus the rules only it can be asked about cheaply. */
class SimulatedAccountTest implements IamUsersContract, UserPoliciesContract, ServiceCredentialsContract,
        BudgetsContract, SecretsContract, AccountIdentityContract, PermissionCheckContract, AccountPostureContract {

    static JdbcClient jdbc;
    static final SandboxAccountProperties AWS = new SandboxAccountProperties("123456789012", "us-east-1");

    @BeforeAll
    static void database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:sandbox-contract;DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/common", "classpath:db/migration/h2")
                .load().migrate();
        jdbc = JdbcClient.create((DataSource) ds);
    }

    SimulatedAccount account() {
        return new SimulatedAccount(jdbc, AWS, new SandboxProperties(Duration.ZERO, 0, "", "TRANSIENT"),
                Clock.systemUTC());
    }

    @Override
    public IamUsers iamUsers() {
        return account();
    }

    @Override
    public UserPolicies userPolicies() {
        return account();
    }

    @Override
    public ServiceCredentials serviceCredentials() {
        return account();
    }

    @Override
    public Budgets budgets() {
        return account();
    }

    @Override
    public Secrets secrets() {
        return account();
    }

    @org.junit.jupiter.api.Test
    void aSecretScheduledForDeletionTakesNoValueUntilRestoredAsInSecretsManager() {
        String name = com.bedrockportal.provisioning.Contracts.unique("bu") + "/bedrock/api-key";
        account().createSecret(name, "ABSKfirst-not-real".toCharArray(), Map.of(), "test");
        account().deleteSecret(name, Duration.ofDays(7));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> account().putSecretValue(name,
                "ABSKsecond-not-real".toCharArray())).hasMessageContaining("marked for deletion");
        account().restoreSecret(name);
        account().putSecretValue(name, "ABSKsecond-not-real".toCharArray());
        org.assertj.core.api.Assertions.assertThat(readsAs(name, "ABSKsecond-not-real")).isTrue();
    }

    @Override
    public boolean readsAs(String name, String value) {
        return account().secretReadsAs(name, value.toCharArray());
    }

    @Override
    public AccountIdentity accountIdentity() {
        return account();
    }

    /** The posture's state (model invocation logging) lives in the account object: one per test. */
    private final SimulatedAccount posture = account();

    @Override
    public AccountPosture accountPosture() {
        return posture;
    }

    @Override
    public String arrangeLoggingTrail() {
        return SimulatedAccount.TRAIL_NAME;
    }

    @Override
    public void arrangeInvocationLogging(String region, boolean on) {
        posture.invocationLogging(on);
    }

    @Override
    public void arrangeActiveTags(List<String> keys) {
        // every key the simulated account is asked about is active
    }

    /** So that the posture page shows what red looks like, one line is red until an admin turns it on. */
    @Test
    void everyPostureLineIsGreenButModelInvocationLoggingByDefault() {
        SimulatedAccount fresh = account();
        assertThat(fresh.invocationLogging("us-east-1").enabled()).isFalse();
        assertThat(fresh.invocationLogging("eu-central-1").enabled()).isFalse();
        assertThat(fresh.trails()).singleElement().satisfies(t -> {
            assertThat(t.logging()).isTrue();
            assertThat(t.multiRegion()).isTrue();
            assertThat(t.managementEvents()).isEqualTo(AccountPosture.ManagementEvents.ALL);
            assertThat(t.latestDeliveryError()).isNull();
        });
        assertThat(fresh.costAllocationTags(List.of("business-unit", "application"))).containsOnlyKeys(
                "business-unit", "application").doesNotContainValue(AccountPosture.TagStatus.INACTIVE);
        assertThat(fresh.credentials().kind()).isEqualTo(AccountPosture.CredentialKind.SIMULATED);
        fresh.invocationLogging(true);
        assertThat(fresh.invocationLogging("us-east-1").enabled()).isTrue();
    }

    @Test
    void anInjectedFailureReachesThePostureQuestions() {
        SimulatedAccount failing = new SimulatedAccount(jdbc, AWS, new SandboxProperties(Duration.ZERO, 0,
                "GetModelInvocationLoggingConfiguration", "ACCESS_DENIED"), Clock.systemUTC());
        assertThatThrownBy(() -> failing.invocationLogging("us-east-1")).isInstanceOfSatisfying(CloudException.class,
                e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.ACCESS_DENIED));
    }

    @Override
    public PermissionCheck permissionCheck() {
        return account();
    }

    /** Nothing: the simulated account's identity may do everything the portal needs. */
    @Override
    public List<String> refuseSomeOf(List<String> actions) {
        return List.of();
    }

    /** The simulated account reads the policy itself: outside its regions (and ranges) nothing is allowed. */
    @Override
    public List<com.bedrockportal.provisioning.PermissionCheck.SimulationCase> refuseSomeCases(String policy,
            List<com.bedrockportal.provisioning.PermissionCheck.SimulationCase> cases) {
        return cases.stream().filter(c -> !"us-east-1".equals(c.context().get("aws:RequestedRegion"))).toList();
    }

    @Test
    void theSimulatedPolicyNeedsTheRangeAndTheRegionItNames() {
        String policy = com.bedrockportal.provisioning.PolicyBuilder.build(
                new com.bedrockportal.provisioning.PolicyBuilder.PolicyInput(List.of(), List.of("us-east-1"),
                        List.of("203.0.113.0/24"), "123456789012"));
        var bearer = new com.bedrockportal.provisioning.PermissionCheck.SimulationCase("bedrock:CallWithBearerToken",
                "*", java.util.Map.of("aws:RequestedRegion", "us-east-1", "aws:SourceIp", "198.51.100.7"));
        assertThat(account().notAllowedBy(policy, List.of(bearer))).as("from outside the range").containsExactly(bearer);
        var inside = new com.bedrockportal.provisioning.PermissionCheck.SimulationCase("bedrock:CallWithBearerToken",
                "*", java.util.Map.of("aws:RequestedRegion", "us-east-1", "aws:SourceIp", "203.0.113.77"));
        assertThat(account().notAllowedBy(policy, List.of(inside))).isEmpty();
    }

    @Test
    void neverStoresTheKeyItHandsOut() {
        String name = unique("leak");
        account().createUser(name, "/", Map.of());
        String key = new String(account().createServiceCredential(name, ServiceCredentials.BEDROCK_SERVICE, 30)
                .secret());
        assertThat(jdbc.sql("select count(*) from sandbox_credential where fingerprint = :f")
                .param("f", SimulatedAccount.fingerprint(key.toCharArray())).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from sandbox_credential where fingerprint like :k or id like :k")
                .param("k", "%" + key.substring(4, 20) + "%").query(Long.class).single()).isZero();
    }

    @Test
    void aUserWithKeysOrPoliciesCannotBeDeleted() {
        SimulatedAccount account = account();
        String name = unique("del");
        account.createUser(name, "/", Map.of());
        account.putUserPolicy(name, "p", "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
        assertThatThrownBy(() -> account.deleteUser(name)).isInstanceOfSatisfying(CloudException.class,
                e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.CONFLICT));
    }

    @Test
    void invalidNamesAndTagsAreRefusedLikeIam() {
        assertThatThrownBy(() -> account().createUser("x".repeat(65), "/", Map.of()))
                .isInstanceOfSatisfying(CloudException.class,
                        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.INVALID_INPUT));
        assertThatThrownBy(() -> account().createUser(unique("t"), "/", Map.of("aws:reserved", "x")))
                .isInstanceOf(CloudException.class);
        assertThatThrownBy(() -> account().createUser(unique("p"), "no-slashes", Map.of()))
                .isInstanceOf(CloudException.class);
    }

    @Test
    void inlinePoliciesAreLimitedTo2048CharactersLikeIam() {
        String name = unique("big");
        account().createUser(name, "/", Map.of());
        String big = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::" + "b".repeat(2100) + "\"}]}";
        assertThatThrownBy(() -> account().putUserPolicy(name, "p", big)).isInstanceOfSatisfying(CloudException.class,
                e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.LIMIT_EXCEEDED));
    }

    /**
     * The simulated account counts with the portal's one measurement, as IAM does: exactly 2,048 characters pass
     * however much whitespace lies between the tokens, one more is refused; a space inside a string counts.
     */
    @Test
    void theLimitIsCountedLikeIamWithThePortalsMeasurement() {
        String name = unique("edge");
        account().createUser(name, "/", Map.of());
        String head = "{\n  \"Version\" : \"2012-10-17\",\n  \"Statement\" : [ {\n    \"Effect\" : \"Allow\",\n"
                + "    \"Action\" : \"s3:GetObject\",\n    \"Resource\" : \"arn:aws:s3:::";
        String tail = "\"\n  } ]\n}\n";
        int padding = PolicySize.INLINE_USER_POLICY_LIMIT - PolicySize.count(head + tail);
        String exact = head + "b".repeat(padding) + tail;
        assertThat(PolicySize.count(exact)).isEqualTo(2048);
        assertThat(exact.length()).isGreaterThan(2048);
        account().putUserPolicy(name, "p", exact);
        assertThat(account().findUserPolicy(name, "p")).contains(exact);

        String spaceInside = head + " " + "b".repeat(padding) + tail;
        assertThatThrownBy(() -> account().putUserPolicy(name, "p", spaceInside))
                .isInstanceOfSatisfying(CloudException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CloudException.Kind.LIMIT_EXCEEDED);
                    assertThat(e.getMessage()).contains("Maximum policy size of 2048 bytes exceeded");
                });
    }

    @Test
    void faultInjectionFailsTheNamedOperation() {
        SimulatedAccount failing = new SimulatedAccount(jdbc, AWS,
                new SandboxProperties(Duration.ZERO, 0, "CreateBudget", "TRANSIENT"), Clock.systemUTC());
        assertThatThrownBy(() -> failing.createBudget(new Budgets.BudgetSpec("x", java.math.BigDecimal.TEN, null,
                List.of()))).isInstanceOfSatisfying(CloudException.class,
                        e -> assertThat(e.business()).isFalse());
        SimulatedAccount throttled = new SimulatedAccount(jdbc, AWS,
                new SandboxProperties(Duration.ZERO, 1.0, "", "TRANSIENT"), Clock.systemUTC());
        assertThatThrownBy(throttled::callerIdentity).hasMessageContaining("Rate exceeded");
    }

    // --- Decommissioning

    @Test
    void aUserWithAKeyCannotBeDeletedUntilTheKeyIs() {
        SimulatedAccount account = account();
        String name = unique("keyed");
        account.createUser(name, "/", Map.of());
        String id = account.createServiceCredential(name, ServiceCredentials.BEDROCK_SERVICE, 30).credential()
                .credentialId();
        assertThatThrownBy(() -> account.deleteUser(name)).isInstanceOfSatisfying(CloudException.class,
                e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.CONFLICT));
        account.deleteServiceCredential(name, id);
        assertThat(account.deleteUser(name)).isTrue();
    }

    /** Like Secrets Manager: a deleted secret stays, its name taken, until its recovery window has passed. */
    @Test
    void aDeletedSecretKeepsItsNameUntilItsRecoveryWindowHasPassed() {
        SimulatedAccount account = account();
        String name = unique("bu") + "/bedrock/api-key";
        account.createSecret(name, "ABSKnot-a-real-key".toCharArray(), Map.of(), "test");
        java.time.Instant before = java.time.Instant.now();
        account.deleteSecret(name, Duration.ofDays(7));
        assertThat(account.secretDeletionDate(name)).get().satisfies(d -> assertThat(d)
                .isBetween(before.plus(Duration.ofDays(7)), java.time.Instant.now().plus(Duration.ofDays(7))));
        assertThatThrownBy(() -> account.createSecret(name, "x".toCharArray(), Map.of(), "again"))
                .isInstanceOfSatisfying(CloudException.class,
                        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.ALREADY_EXISTS));
        assertThat(account.secretDeletionDate(unique("none"))).isEmpty();
    }
}
