package com.bedrockportal.aws;

import java.net.URI;
import java.time.Duration;

import com.bedrockportal.provisioning.PolicyValidator;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real SDK adapter for IAM Access Analyzer ValidatePolicy against a WireMock stub shaped like the API reference
 * ({@code POST /policy/validation}; findings with findingType, issueCode, findingDetails, learnMoreLink, locations).
 */
class AwsPolicyValidatorTest {

    static WireMockServer analyzer = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";

    @BeforeAll
    static void start() {
        analyzer.start();
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLETESTONLY");
        System.setProperty("aws.secretAccessKey", "test-secret-not-real");
    }

    @AfterAll
    static void stop() {
        analyzer.stop();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @BeforeEach
    void reset() {
        analyzer.resetAll();
    }

    private static PolicyValidator adapter() {
        AwsProperties props = new AwsProperties("aws", "us-east-1", URI.create(analyzer.baseUrl()),
                Duration.ofSeconds(5), "off");
        return new AwsPolicyValidator(new AwsClients(props));
    }

    @Test
    void findingsComeBackWithTheirTypeCodeDetailsAndLinkFromASignedIdentityPolicyCheck() {
        analyzer.stubFor(post(urlPathEqualTo("/policy/validation")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"findings": [
                          {"findingDetails": "Using a wildcard in the resource can be overly permissive.",
                           "findingType": "SECURITY_WARNING", "issueCode": "PASS_ROLE_WITH_STAR_IN_RESOURCE",
                           "learnMoreLink": "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
                           "locations": [{"path": [{"value": "Statement"}, {"index": 0}, {"value": "Resource"}],
                                          "span": {"start": {"line": 1, "column": 60, "offset": 60},
                                                   "end": {"line": 1, "column": 63, "offset": 63}}}]},
                          {"findingDetails": "Add a value to the empty string.", "findingType": "ERROR",
                           "issueCode": "EMPTY_STRING", "learnMoreLink": "https://example.invalid/empty",
                           "locations": []}
                        ]}""")));

        PolicyValidator.Result result = adapter().validate(POLICY);

        assertThat(result.status()).isEqualTo(PolicyValidator.Status.CHECKED);
        assertThat(result.findings()).extracting(PolicyValidator.Finding::type).containsExactly("SECURITY_WARNING",
                "ERROR");
        assertThat(result.findings().get(0).issueCode()).isEqualTo("PASS_ROLE_WITH_STAR_IN_RESOURCE");
        assertThat(result.findings().get(1).details()).isEqualTo("Add a value to the empty string.");
        analyzer.verify(postRequestedFor(urlPathEqualTo("/policy/validation"))
                .withRequestBody(matchingJsonPath("$.policyType", matching("IDENTITY_POLICY")))
                .withRequestBody(matchingJsonPath("$.policyDocument", matching("\\{\"Version\".*")))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLETESTONLY/\\d{8}/"
                        + "us-east-1/access-analyzer/aws4_request.*")));
    }

    @Test
    void aDeniedCallIsAnAnswerNotAnError() {
        analyzer.stubFor(post(urlPathEqualTo("/policy/validation")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-ErrorType", "AccessDeniedException")
                .withBody("{\"message\": \"User is not authorized to perform: access-analyzer:ValidatePolicy\"}")));
        assertThat(adapter().validate(POLICY).status()).isEqualTo(PolicyValidator.Status.DENIED);
    }

    @Test
    void aServerErrorIsReportedAsFailed() {
        analyzer.stubFor(post(urlPathEqualTo("/policy/validation")).willReturn(aResponse().withStatus(500)
                .withHeader("x-amzn-ErrorType", "InternalServerException").withBody("{\"message\": \"boom\"}")));
        assertThat(adapter().validate(POLICY).status()).isEqualTo(PolicyValidator.Status.FAILED);
    }
}
