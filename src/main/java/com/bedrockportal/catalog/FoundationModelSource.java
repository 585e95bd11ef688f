package com.bedrockportal.catalog;

import java.util.List;

/**
 * Where "refresh from AWS" reads the models the account offers: Bedrock {@code ListFoundationModels} in {@code aws}
 * mode, the simulated account in the embedded default.
 */
public interface FoundationModelSource {

    /** A model as the account lists it in one region. */
    record OfferedModel(String modelId, String provider, String name, String region) {
    }

    List<OfferedModel> listFoundationModels(List<String> regions);
}
