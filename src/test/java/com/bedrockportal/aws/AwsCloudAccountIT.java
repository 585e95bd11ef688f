package com.bedrockportal.aws;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.bedrockportal.provisioning.AccountIdentity;
import com.bedrockportal.provisioning.AccountIdentityContract;
import com.bedrockportal.provisioning.Budgets;
import com.bedrockportal.provisioning.BudgetsContract;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.IamUsersContract;
import com.bedrockportal.provisioning.PermissionCheck;
import com.bedrockportal.provisioning.PermissionCheckContract;
import com.bedrockportal.provisioning.Secrets;
import com.bedrockportal.provisioning.SecretsContract;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.provisioning.ServiceCredentialsContract;
import com.bedrockportal.provisioning.UserPolicies;
import com.bedrockportal.provisioning.UserPoliciesContract;
import com.bedrockportal.testsupport.BudgetSubscribersStub;
import com.bedrockportal.testsupport.BudgetUpdateStub;
import com.bedrockportal.testsupport.IamCredentialStub;
import com.bedrockportal.testsupport.Moto;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.bedrockportal.provisioning.Contracts.unique;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The AWS SDK adapter over the wire: moto answers IAM users/tags/policies, Budgets, Secrets Manager and STS;
 * a WireMock front passes everything to moto except what moto lacks — the service-specific credential operations
 * and Budgets' DescribeSubscribersForNotification and UpdateBudget — which stubs shaped from the API reference answer.
 * Same port contracts as the simulated account.
 */
class AwsCloudAccountIT implements IamUsersContract, UserPoliciesContract, ServiceCredentialsContract,
        BudgetsContract, SecretsContract, AccountIdentityContract, PermissionCheckContract {

    static WireMockServer front;
    static AwsCloudAccount account;
    static AwsClients clients;

    @BeforeAll
    static void start() {
        String moto = Moto.endpoint();
        BudgetSubscribersStub subscribers = new BudgetSubscribersStub();
        front = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                .extensions(new IamCredentialStub(), subscribers, new BudgetUpdateStub(moto)));
        front.start();
        subscribers.readFrom(front::getAllServeEvents);
        front.stubFor(post(urlEqualTo("/")).atPriority(1).withHeader("X-Amz-Target", containing(".UpdateBudget"))
                .willReturn(aResponse().withTransformers(BudgetUpdateStub.NAME)));
        front.stubFor(post(urlEqualTo("/")).atPriority(1)
                .withHeader("X-Amz-Target", containing("DescribeSubscribersForNotification"))
                .willReturn(aResponse().withTransformers(BudgetSubscribersStub.NAME)));
        front.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(moto)));
        for (String action : new String[] { "CreateServiceSpecificCredential", "ListServiceSpecificCredentials",
                "UpdateServiceSpecificCredential", "DeleteServiceSpecificCredential" }) {
            front.stubFor(post(urlEqualTo("/")).atPriority(1).withRequestBody(containing("Action=" + action))
                    .willReturn(aResponse().withTransformers(IamCredentialStub.NAME)));
        }
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLETESTONLY");
        System.setProperty("aws.secretAccessKey", "test-secret-not-real");
        clients = new AwsClients(new AwsProperties("aws", "us-east-1", URI.create(front.baseUrl()),
                Duration.ofSeconds(20), "off"));
        account = new AwsCloudAccount(clients);
    }

    @AfterAll
    static void stop() {
        front.stop();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Override
    public IamUsers iamUsers() {
        return account;
    }

    @Override
    public UserPolicies userPolicies() {
        return account;
    }

    @Override
    public ServiceCredentials serviceCredentials() {
        return account;
    }

    @Override
    public Budgets budgets() {
        return account;
    }

    @Override
    public Secrets secrets() {
        return account;
    }

    @Override
    public boolean readsAs(String name, String value) {
        // AWS reads AWSCURRENT by default; moto's UpdateSecretVersionStage does not move its default, so name it.
        return value.equals(clients.secretsManager().getSecretValue(r -> r.secretId(name)
                .versionStage(Secrets.CURRENT)).secretString());
    }

    @Override
    public AccountIdentity accountIdentity() {
        return account;
    }

    @Override
    public PermissionCheck permissionCheck() {
        return account;
    }

    /** Moto lacks SimulatePrincipalPolicy: a stub shaped from the API reference denies the last action asked. */
    @Override
    public List<String> refuseSomeOf(List<String> actions) {
        StringBuilder results = new StringBuilder();
        for (int i = 0; i < actions.size(); i++) {
            results.append("<member><EvalActionName>").append(actions.get(i)).append("</EvalActionName>")
                    .append("<EvalResourceName>*</EvalResourceName><EvalDecision>")
                    .append(i == actions.size() - 1 ? "implicitDeny" : "allowed")
                    .append("</EvalDecision><MatchedStatements/><MissingContextValues/></member>");
        }
        front.stubFor(post(urlEqualTo("/")).atPriority(1).withRequestBody(containing("Action=SimulatePrincipalPolicy"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody("""
                        <SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
                          <SimulatePrincipalPolicyResult>
                            <IsTruncated>false</IsTruncated>
                            <EvaluationResults>%s</EvaluationResults>
                          </SimulatePrincipalPolicyResult>
                          <ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>
                          </ResponseMetadata>
                        </SimulatePrincipalPolicyResponse>""".formatted(results))));
        return actions.isEmpty() ? List.of() : List.of(actions.get(actions.size() - 1));
    }

    /**
     * Moto lacks SimulateCustomPolicy: a stub shaped from the API reference answers each call (one case each) with
     * implicitDeny for the cases outside us-east-1 and allowed for the others.
     */
    @Override
    public List<com.bedrockportal.provisioning.PermissionCheck.SimulationCase> refuseSomeCases(String policy,
            List<com.bedrockportal.provisioning.PermissionCheck.SimulationCase> cases) {
        List<com.bedrockportal.provisioning.PermissionCheck.SimulationCase> refused = new java.util.ArrayList<>();
        for (var c : cases) {
            boolean deny = !"us-east-1".equals(c.context().get("aws:RequestedRegion"));
            if (deny) {
                refused.add(c);
            }
            front.stubFor(post(urlEqualTo("/")).atPriority(deny ? 1 : 2)
                    .withRequestBody(containing("Action=SimulateCustomPolicy"))
                    .withRequestBody(containing(deny ? "=" + c.context().get("aws:RequestedRegion")
                            : "Action=SimulateCustomPolicy"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody("""
                            <SimulateCustomPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
                              <SimulateCustomPolicyResult>
                                <IsTruncated>false</IsTruncated>
                                <EvaluationResults><member><EvalActionName>%s</EvalActionName>
                                  <EvalResourceName>%s</EvalResourceName><EvalDecision>%s</EvalDecision>
                                  <MatchedStatements/><MissingContextValues/></member></EvaluationResults>
                              </SimulateCustomPolicyResult>
                              <ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>
                              </ResponseMetadata>
                            </SimulateCustomPolicyResponse>""".formatted(c.action(), c.resourceArn(),
                            deny ? "implicitDeny" : "allowed"))));
        }
        return refused;
    }

    /** The same adapter with the SDK's standard retries, as configured by default. */
    private static AwsCloudAccount retrying() {
        return new AwsCloudAccount(new AwsClients(new AwsProperties("aws", "us-east-1", URI.create(front.baseUrl()),
                Duration.ofSeconds(20), "standard")));
    }

    /** Answers 500 to the first request of an operation on this resource, then lets the next one through. */
    private static void failOnce(String operation, String resource, boolean json) {
        var request = post(urlEqualTo("/")).atPriority(0).withRequestBody(containing(resource));
        request = json ? request.withHeader("X-Amz-Target", containing("." + operation))
                : request.withRequestBody(containing("Action=" + operation));
        front.stubFor(request.inScenario(operation + resource)
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("internal error")).willSetStateTo("failed once"));
    }

    private static int requestsFor(String operation, String resource, boolean json) {
        var pattern = postRequestedFor(urlEqualTo("/")).withRequestBody(containing(resource));
        pattern = json ? pattern.withHeader("X-Amz-Target", containing("." + operation))
                : pattern.withRequestBody(containing("Action=" + operation));
        return front.findAll(pattern).size();
    }

    @Test
    void aPolicySimulationSendsThePolicyTheResourceAndTheRequestsConditionKeys() {
        var c = new com.bedrockportal.provisioning.PermissionCheck.SimulationCase("bedrock:InvokeModel",
                "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0",
                Map.of("aws:RequestedRegion", "us-east-1", "aws:SourceIp", "203.0.113.0"));
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
        refuseSomeCases(policy, List.of(c));
        assertThat(account.notAllowedBy(policy, List.of(c))).isEmpty();
        var sent = front.findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(
                containing("Action=SimulateCustomPolicy")));
        assertThat(sent).isNotEmpty();
        assertThat(sent.get(sent.size() - 1).getBodyAsString()).contains("PolicyInputList.member.1=")
                .contains("ActionNames.member.1=bedrock%3AInvokeModel").contains("ResourceArns.member.1=")
                .contains("ContextKeyName=aws%3ASourceIp").contains("ContextKeyType=ip")
                .contains("ContextKeyName=aws%3ARequestedRegion");
    }

    @Test
    void aServerErrorAtEachProvisioningCallIsRetriedByTheSdkAndCreatesOneResource() {
        AwsCloudAccount sdk = retrying();
        String user = unique("retry");
        failOnce("CreateUser", user, false);
        sdk.createUser(user, "/", Map.of("purpose", "bedrock"));
        assertThat(requestsFor("CreateUser", user, false)).isEqualTo(2);
        assertThat(sdk.findUser(user)).isPresent();

        failOnce("PutUserPolicy", user, false);
        sdk.putUserPolicy(user, "p", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"bedrock:InvokeModel\",\"Resource\":\"*\"}]}");
        assertThat(requestsFor("PutUserPolicy", user, false)).isEqualTo(2);

        failOnce("CreateServiceSpecificCredential", user, false);
        sdk.createServiceCredential(user, ServiceCredentials.BEDROCK_SERVICE, 30);
        assertThat(requestsFor("CreateServiceSpecificCredential", user, false)).isEqualTo(2);
        assertThat(sdk.listServiceCredentials(user, ServiceCredentials.BEDROCK_SERVICE)).hasSize(1);

        String budget = user + "-bedrock-monthly";
        failOnce("CreateBudget", budget, true);
        sdk.createBudget(new Budgets.BudgetSpec(budget, BigDecimal.TEN, "retry",
                List.of(new Budgets.BudgetAlert("ACTUAL", 80, List.of("a@example.com")))));
        assertThat(requestsFor("CreateBudget", budget, true)).isEqualTo(2);
        assertThat(sdk.findBudget(budget)).isPresent();

        String secret = user + "/bedrock/api-key";
        failOnce("CreateSecret", secret, true);
        sdk.createSecret(secret, "ABSKnot-a-real-key".toCharArray(), Map.of(), "retry");
        assertThat(requestsFor("CreateSecret", secret, true)).isEqualTo(2);
        assertThat(sdk.findSecret(secret)).isPresent();
    }

    /** A rotation's new version: pending first (readers keep the current one), then current, as the secret says. */
    @Test
    void aPendingVersionBecomesCurrentAndTheSecretSaysWhichIsCurrent() {
        AwsCloudAccount sdk = retrying();
        String secret = "rot-" + UUID.randomUUID().toString().substring(0, 8) + "/bedrock/api-key";
        sdk.createSecret(secret, "ABSKthe-old-one".toCharArray(), Map.of(), "rotation");
        String before = sdk.currentVersion(secret).orElseThrow();
        String next = UUID.randomUUID().toString();
        sdk.stagePendingValue(secret, next, "ABSKthe-new-one".toCharArray());
        assertThat(sdk.currentVersion(secret)).as("readers keep the old version").contains(before);
        assertThat(sdk.promote(secret, next)).isTrue();
        assertThat(sdk.currentVersion(secret)).contains(next);
        assertThat(sdk.promote(secret, next)).as("already current").isFalse();
        assertThat(sdk.currentVersion("no-such-" + secret)).isEmpty();
    }

    @Test
    void thePermissionCheckSimulatesTheCallersOwnPolicies() {
        List<String> asked = List.of("iam:CreateUser", "budgets:ModifyBudget");
        refuseSomeOf(asked);
        account.deniedActions(asked);
        String caller = URLEncoder.encode(account.callerIdentity().arn(), StandardCharsets.UTF_8);
        front.verify(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=SimulatePrincipalPolicy"))
                .withRequestBody(containing("PolicySourceArn=" + caller)));
    }

    @Test
    void anAssumedRoleSessionIsSimulatedAsItsRole() {
        assertThat(AwsCloudAccount.principalArn("arn:aws:sts::123456789012:assumed-role/PortalRole/i-0abc"))
                .isEqualTo("arn:aws:iam::123456789012:role/PortalRole");
        assertThat(AwsCloudAccount.principalArn("arn:aws:iam::123456789012:user/portal"))
                .isEqualTo("arn:aws:iam::123456789012:user/portal");
    }

    @Test
    void throttlingAndServerErrorsAreTransientAndNothingIsCreatedTwice() {
        String name = unique("throttled");
        front.stubFor(post(urlEqualTo("/")).atPriority(0).withRequestBody(containing("Action=CreateUser"))
                .withRequestBody(containing(name)).willReturn(aResponse().withStatus(400)
                        .withHeader("Content-Type", "text/xml").withBody("<ErrorResponse><Error><Type>Sender</Type>"
                                + "<Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>")));
        assertThatThrownBy(() -> account.createUser(name, "/", Map.of())).isInstanceOfSatisfying(CloudException.class,
                e -> assertThat(e.business()).isFalse());
        assertThat(account.findUser(name)).isEmpty();

        String other = unique("fivehundred");
        front.stubFor(post(urlEqualTo("/")).atPriority(0).withRequestBody(containing("Action=CreateUser"))
                .withRequestBody(containing(other)).willReturn(aResponse().withStatus(500)));
        assertThatThrownBy(() -> account.createUser(other, "/", Map.of())).isInstanceOfSatisfying(
                CloudException.class, e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.TRANSIENT));
        front.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing(other)));
    }

    // --- drift reconciliation

    /**
     * Moto answers ListUsers in one page; AWS pages it (IsTruncated, Marker). Stubs shaped from the API reference
     * serve two pages: the adapter follows the marker, and asks for no page past its cap.
     */
    @Test
    void listUsersFollowsIamsPagesAndStopsAtTheCap() {
        String path = "/paged-" + unique("p") + "/";
        String page1 = users(path, "paged-a", "paged-b") + "<IsTruncated>true</IsTruncated><Marker>m2</Marker>";
        String page2 = users(path, "paged-c") + "<IsTruncated>false</IsTruncated>";
        front.stubFor(post(urlEqualTo("/")).atPriority(0).withRequestBody(containing("Action=ListUsers"))
                .withRequestBody(containing(URLEncoder.encode(path, StandardCharsets.UTF_8)))
                .willReturn(listUsersResponse(page1)));
        front.stubFor(post(urlEqualTo("/")).atPriority(-1).withRequestBody(containing("Action=ListUsers"))
                .withRequestBody(containing("Marker=m2")).willReturn(listUsersResponse(page2)));

        assertThat(account.listUsers(path, 10).users()).extracting(IamUsers.IamUser::userName)
                .containsExactly("paged-a", "paged-b", "paged-c");
        front.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Marker=m2")));

        IamUsers.UserListing capped = account.listUsers(path, 1);
        assertThat(capped.truncated()).isTrue();
        assertThat(capped.users()).extracting(IamUsers.IamUser::userName).containsExactly("paged-a");
        front.verify(1, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Marker=m2")));
    }

    private static String users(String path, String... names) {
        StringBuilder members = new StringBuilder("<Users>");
        for (String n : names) {
            members.append("<member><Path>").append(path).append("</Path><UserName>").append(n)
                    .append("</UserName><UserId>AIDA").append(n.replace("-", "").toUpperCase(java.util.Locale.ROOT))
                    .append("</UserId><Arn>arn:aws:iam::123456789012:user").append(path).append(n)
                    .append("</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></member>");
        }
        return members.append("</Users>").toString();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder listUsersResponse(String result) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody("""
                <ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
                  <ListUsersResult>%s</ListUsersResult>
                  <ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata>
                </ListUsersResponse>""".formatted(result));
    }

    // --- BudgetReadings (usage collection)

    /**
     * DescribeBudget against moto (which answers CalculatedSpend with zeros), then against a stub shaped from the API
     * reference with spend and forecast; a missing budget reads as none.
     */
    @Test
    void aBudgetReadingIsItsLimitWithActualAndForecastSpend() {
        String name = unique("reading") + "-bedrock-monthly";
        account.createBudget(new Budgets.BudgetSpec(name, new BigDecimal("250"), "marketing", List.of(), "chat"));

        var fromMoto = account.reading(name).orElseThrow();
        assertThat(fromMoto.limitUsd()).isEqualByComparingTo("250");
        assertThat(fromMoto.actualUsd()).isEqualByComparingTo("0");
        assertThat(fromMoto.forecastUsd()).isEqualByComparingTo("0");
        assertThat(account.reading(unique("missing") + "-bedrock-monthly")).isEmpty();

        String spent = unique("spent") + "-bedrock-monthly";
        var stub = front.stubFor(post(urlEqualTo("/")).atPriority(1)
                .withHeader("X-Amz-Target", com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                        "AWSBudgetServiceGateway.DescribeBudget"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.BudgetName",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(spent)))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.AccountId"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("""
                                {"Budget":{"BudgetName":"%s","BudgetLimit":{"Amount":"300.0","Unit":"USD"},
                                 "TimeUnit":"MONTHLY","BudgetType":"COST",
                                 "TimePeriod":{"Start":1772323200,"End":3706473600},
                                 "CalculatedSpend":{"ActualSpend":{"Amount":"123.45","Unit":"USD"},
                                                    "ForecastedSpend":{"Amount":"310.2","Unit":"USD"}},
                                 "LastUpdatedTime":1773993600}}""".formatted(spent))));
        try {
            var fromAws = account.reading(spent).orElseThrow();
            assertThat(fromAws.limitUsd()).isEqualByComparingTo("300");
            assertThat(fromAws.actualUsd()).isEqualByComparingTo("123.45");
            assertThat(fromAws.forecastUsd()).isEqualByComparingTo("310.2");
        } finally {
            front.removeStub(stub);
        }
    }
}
