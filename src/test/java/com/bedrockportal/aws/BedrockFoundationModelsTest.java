package com.bedrockportal.aws;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import com.bedrockportal.catalog.FoundationModelSource;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real SDK adapter for ListFoundationModels against a WireMock stub shaped from the Bedrock API reference
 * (moto does not implement this operation).
 */
class BedrockFoundationModelsTest {

    static WireMockServer bedrock = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    @BeforeAll
    static void start() {
        bedrock.start();
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLETESTONLY");
        System.setProperty("aws.secretAccessKey", "test-secret-not-real");
    }

    @AfterAll
    static void stop() {
        bedrock.stop();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private static FoundationModelSource adapter() {
        AwsProperties props = new AwsProperties("aws", "us-east-1", URI.create(bedrock.baseUrl()),
                Duration.ofSeconds(5), "off");
        return new BedrockFoundationModels(new AwsClients(props));
    }

    @Test
    void listsOnDemandModelsPerRegionWithASignedRequest() {
        bedrock.stubFor(get(urlPathEqualTo("/foundation-models")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"modelSummaries": [
                          {"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0",
                           "modelId": "amazon.nova-lite-v1:0", "modelName": "Nova Lite", "providerName": "Amazon",
                           "inputModalities": ["TEXT", "IMAGE", "VIDEO"], "outputModalities": ["TEXT"],
                           "responseStreamingSupported": true, "customizationsSupported": [],
                           "inferenceTypesSupported": ["ON_DEMAND"], "modelLifecycle": {"status": "ACTIVE"}},
                          {"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/cohere.command-r-plus-v1:0",
                           "modelId": "cohere.command-r-plus-v1:0", "modelName": "Command R+", "providerName": "Cohere",
                           "inputModalities": ["TEXT"], "outputModalities": ["TEXT"],
                           "responseStreamingSupported": true, "inferenceTypesSupported": ["ON_DEMAND"],
                           "modelLifecycle": {"status": "ACTIVE"}}
                        ]}""")));

        List<FoundationModelSource.OfferedModel> models = adapter().listFoundationModels(List.of("us-east-1"));

        assertThat(models).extracting(FoundationModelSource.OfferedModel::modelId)
                .containsExactly("amazon.nova-lite-v1:0", "cohere.command-r-plus-v1:0");
        assertThat(models).allSatisfy(m -> assertThat(m.region()).isEqualTo("us-east-1"));
        assertThat(models.get(1).provider()).isEqualTo("Cohere");
        bedrock.verify(getRequestedFor(urlPathEqualTo("/foundation-models"))
                .withQueryParam("byInferenceType", matching("ON_DEMAND"))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLETESTONLY/\\d{8}/us-east-1/bedrock/aws4_request.*")));
    }

    @Test
    void anAccessDeniedAnswerSurfacesAsAnError() {
        bedrock.resetAll();
        bedrock.stubFor(get(urlPathEqualTo("/foundation-models")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-ErrorType", "AccessDeniedException")
                .withBody("{\"message\": \"User is not authorized to perform: bedrock:ListFoundationModels\"}")));
        assertThatThrownBy(() -> adapter().listFoundationModels(List.of("us-east-1")))
                .hasMessageContaining("not authorized to perform: bedrock:ListFoundationModels");
    }
}
