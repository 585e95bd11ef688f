package com.bedrockportal.aws;

import java.util.ArrayList;
import java.util.List;

import com.bedrockportal.catalog.FoundationModelSource;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.FoundationModelSummary;
import software.amazon.awssdk.services.bedrock.model.InferenceType;

/** {@code ListFoundationModels} in each region; only models that can be invoked on demand are offered. */
class BedrockFoundationModels implements FoundationModelSource {

    private final AwsClients clients;

    BedrockFoundationModels(AwsClients clients) {
        this.clients = clients;
    }

    @Override
    public List<OfferedModel> listFoundationModels(List<String> regions) {
        List<OfferedModel> result = new ArrayList<>();
        for (String region : regions) {
            try (BedrockClient bedrock = clients.bedrock(Region.of(region))) {
                for (FoundationModelSummary m : bedrock.listFoundationModels(r -> r.byInferenceType(InferenceType.ON_DEMAND))
                        .modelSummaries()) {
                    result.add(new OfferedModel(m.modelId(), m.providerName(), m.modelName(), region));
                }
            }
        }
        return result;
    }
}
