package com.bedrockportal.provisioning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.bedrockportal.catalog.CatalogModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the exact policy text, byte for byte, for each combination of models, regions and CIDRs against golden JSON
 * files ({@code src/test/resources/golden}). Run with {@code -Dgolden.update=true} to rewrite them after a deliberate
 * change, then review the diff.
 */
class PolicyBuilderTest {

    static final String ACCOUNT = "123456789012";
    static final CatalogModel NOVA_LITE = model("amazon.nova-lite-v1:0", CatalogModel.Kind.FOUNDATION_MODEL, null,
            "arn:aws:bedrock:{region}::foundation-model/amazon.nova-lite-v1:0", "us-east-1", "us-west-2",
            "eu-central-1");
    static final CatalogModel MISTRAL_LARGE = model("mistral.mistral-large-2407-v1:0",
            CatalogModel.Kind.FOUNDATION_MODEL, null,
            "arn:aws:bedrock:{region}::foundation-model/mistral.mistral-large-2407-v1:0", "us-west-2");
    static final CatalogModel SONNET_US = model("us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            CatalogModel.Kind.INFERENCE_PROFILE, "anthropic.claude-sonnet-4-5-20250929-v1:0",
            "arn:aws:bedrock:{region}:{account}:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "us-east-1", "us-east-2", "us-west-2");

    @Test
    void oneFoundationModelInOneRegionWithoutIpLimit() throws IOException {
        assertGolden("one-model-one-region", new PolicyBuilder.PolicyInput(List.of(NOVA_LITE), List.of("us-east-1"),
                List.of(), ACCOUNT));
    }

    @Test
    void foundationModelsAndAnInferenceProfileInTwoRegionsWithIpv4AndIpv6Ranges() throws IOException {
        assertGolden("models-profile-regions-cidrs", new PolicyBuilder.PolicyInput(
                List.of(NOVA_LITE, MISTRAL_LARGE, SONNET_US), List.of("us-east-1", "us-west-2"),
                List.of("203.0.113.0/24", "2001:db8::/32"), ACCOUNT));
    }

    @Test
    void inferenceProfileOnlyWithOneRange() throws IOException {
        assertGolden("profile-only", new PolicyBuilder.PolicyInput(List.of(SONNET_US), List.of("us-west-2"),
                List.of("198.51.100.7/32"), ACCOUNT));
    }

    @Test
    void everyPolicyAllowsBearerTokensAndNothingButInference() throws IOException {
        JsonNode policy = new ObjectMapper().readTree(PolicyBuilder.build(new PolicyBuilder.PolicyInput(
                List.of(NOVA_LITE, SONNET_US), List.of("us-east-1"), List.of(), ACCOUNT)));
        List<String> actions = policy.get("Statement").findValues("Action").stream()
                .flatMap(a -> a.isArray() ? java.util.stream.StreamSupport.stream(a.spliterator(), false)
                        : java.util.stream.Stream.of(a))
                .map(JsonNode::asText).distinct().toList();
        assertThat(actions).containsExactlyInAnyOrder("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream",
                "bedrock:CallWithBearerToken");
        policy.get("Statement").forEach(s -> assertThat(s.get("Effect").asText()).isEqualTo("Allow"));
    }

    @Test
    void aModelIsOnlyAllowedInRegionsWhereItIsOffered() {
        String json = PolicyBuilder.build(new PolicyBuilder.PolicyInput(List.of(MISTRAL_LARGE),
                List.of("us-east-1", "us-west-2"), List.of(), ACCOUNT));
        assertThat(json).contains("arn:aws:bedrock:us-west-2::foundation-model/mistral.mistral-large-2407-v1:0")
                .doesNotContain("arn:aws:bedrock:us-east-1::foundation-model/mistral");
    }

    private static void assertGolden(String name, PolicyBuilder.PolicyInput input) throws IOException {
        String actual = PolicyBuilder.build(input);
        Path golden = Path.of("src/test/resources/golden", "policy-" + name + ".json");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, actual + "\n", StandardCharsets.UTF_8);
        }
        // Byte for byte: this text is what security reads and approves, and what PutUserPolicy receives.
        assertThat(actual + "\n").isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    private static CatalogModel model(String id, CatalogModel.Kind kind, String foundation, String arn,
            String... regions) {
        return new CatalogModel(1, id, "p", id, kind, foundation, arn, List.of(regions), true, Instant.EPOCH);
    }
}
