package com.bedrockportal.aws;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.budgets.BudgetsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

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
        return configure(BedrockClient.builder(), region).build();
    }

    IamClient iam() {
        // IAM is global; its endpoint is in us-east-1.
        return configure(IamClient.builder(), Region.AWS_GLOBAL).build();
    }

    BudgetsClient budgets() {
        return configure(BudgetsClient.builder(), Region.AWS_GLOBAL).build();
    }

    SecretsManagerClient secretsManager() {
        return configure(SecretsManagerClient.builder(), Region.of(properties.region())).build();
    }

    KmsClient kms() {
        return configure(KmsClient.builder(), Region.of(properties.region())).build();
    }

    StsClient sts() {
        return configure(StsClient.builder(), Region.of(properties.region())).build();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, Region region) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .apiCallTimeout(properties.callTimeout());
        if (properties.retriesOff()) {
            override.retryStrategy(AwsRetryStrategy.doNotRetry());
        } else {
            override.retryStrategy(properties.retryMode());
        }
        builder.region(region).credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(ApacheHttpClient.builder()).overrideConfiguration(override.build());
        if (properties.endpoint() != null) {
            builder.endpointOverride(properties.endpoint());
        }
        return builder;
    }
}
