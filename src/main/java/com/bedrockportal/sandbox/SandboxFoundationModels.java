package com.bedrockportal.sandbox;

import java.util.ArrayList;
import java.util.List;

import com.bedrockportal.catalog.FoundationModelSource;

/**
 * The simulated account's answer to {@code ListFoundationModels}: a fixed, realistic list per region, so the
 * "refresh from AWS" action works in the embedded default without credentials.
 */
public class SandboxFoundationModels implements FoundationModelSource {

    private static final List<String[]> MODELS = List.of(
            new String[] { "anthropic.claude-3-5-haiku-20241022-v1:0", "Anthropic", "Claude 3.5 Haiku", "us-east-1,us-west-2" },
            new String[] { "amazon.nova-pro-v1:0", "Amazon", "Nova Pro", "us-east-1,us-west-2,eu-central-1,ap-northeast-1" },
            new String[] { "amazon.nova-lite-v1:0", "Amazon", "Nova Lite", "us-east-1,us-west-2,eu-central-1,ap-northeast-1" },
            new String[] { "amazon.nova-micro-v1:0", "Amazon", "Nova Micro", "us-east-1,us-west-2,eu-central-1" },
            new String[] { "amazon.titan-embed-text-v2:0", "Amazon", "Titan Text Embeddings V2", "us-east-1,us-west-2,eu-central-1,eu-west-1,ap-northeast-1" },
            new String[] { "cohere.command-r-plus-v1:0", "Cohere", "Command R+", "us-east-1,us-west-2" },
            new String[] { "cohere.embed-english-v3", "Cohere", "Embed English", "us-east-1,us-west-2,eu-central-1" },
            new String[] { "mistral.mistral-large-2407-v1:0", "Mistral AI", "Mistral Large (24.07)", "us-west-2" },
            new String[] { "mistral.mistral-small-2402-v1:0", "Mistral AI", "Mistral Small (24.02)", "us-east-1,eu-west-3" },
            new String[] { "ai21.jamba-1-5-large-v1:0", "AI21 Labs", "Jamba 1.5 Large", "us-east-1" });

    @Override
    public List<OfferedModel> listFoundationModels(List<String> regions) {
        List<OfferedModel> result = new ArrayList<>();
        for (String region : regions) {
            for (String[] m : MODELS) {
                if (List.of(m[3].split(",")).contains(region)) {
                    result.add(new OfferedModel(m[0], m[1], m[2], region));
                }
            }
        }
        return result;
    }

}
