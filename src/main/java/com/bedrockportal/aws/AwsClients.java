package com.bedrockportal.aws;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;

/**
 * The one place that configures AWS SDK clients: region, default credential chain, optional endpoint override, the
 * SDK's standard retry strategy and a call timeout.
 */
public class AwsClients {

    private final AwsProperties properties;

    AwsClients(AwsProperties properties) {
        this.properties = properties;
    }

    BedrockClient bedrock(Region region) {
        var builder = BedrockClient.builder().region(region).credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD)
                        .apiCallTimeout(properties.callTimeout()).build());
        if (properties.endpoint() != null) {
            builder.endpointOverride(properties.endpoint());
        }
        return builder.build();
    }
}
