package com.bedrockportal.aws;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.accessanalyzer.AccessAnalyzerClient;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.budgets.BudgetsClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.costexplorer.CostExplorerClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The one place that configures AWS SDK clients: region, default credential chain, optional endpoint override, the
 * SDK's standard retry strategy and a call timeout. The long-lived clients it builds (IAM, Budgets, Secrets Manager,
 * STS, KMS, CloudTrail, Cost Explorer) are closed with it when the application stops (Spring calls {@link #close()}); short-lived ones (Bedrock,
 * per region and refresh) are closed by their caller.
 */
public class AwsClients implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AwsClients.class);

    private final AwsProperties properties;
    private final List<SdkClient> open = new CopyOnWriteArrayList<>();
    private final List<ExecutionInterceptor> interceptors;

    AwsClients(AwsProperties properties) {
        this(properties, List.of());
    }

    /** With interceptors on every client (the call metrics). */
    AwsClients(AwsProperties properties, List<ExecutionInterceptor> interceptors) {
        this.properties = properties;
        this.interceptors = List.copyOf(interceptors);
    }

    BedrockClient bedrock(Region region) {
        return configure(BedrockClient.builder(), region).build();
    }

    IamClient iam() {
        // IAM is global; its endpoint is in us-east-1.
        return kept(configure(IamClient.builder(), Region.AWS_GLOBAL).build());
    }

    BudgetsClient budgets() {
        return kept(configure(BudgetsClient.builder(), Region.AWS_GLOBAL).build());
    }

    SecretsManagerClient secretsManager() {
        return kept(configure(SecretsManagerClient.builder(), Region.of(properties.region())).build());
    }

    /** CloudTrail's event history is regional: one client per region looked in. */
    CloudTrailClient cloudTrail(Region region) {
        return kept(configure(CloudTrailClient.builder(), region).build());
    }

    CostExplorerClient costExplorer() {
        // Cost Explorer's endpoint is in us-east-1, whatever the account's regions.
        return kept(configure(CostExplorerClient.builder(), Region.US_EAST_1).build());
    }

    KmsClient kms() {
        return kept(configure(KmsClient.builder(), Region.of(properties.region())).build());
    }

    AccessAnalyzerClient accessAnalyzer() {
        return kept(configure(AccessAnalyzerClient.builder(), Region.of(properties.region())).build());
    }

    StsClient sts() {
        return kept(configure(StsClient.builder(), Region.of(properties.region())).build());
    }

    private <C extends SdkClient> C kept(C client) {
        open.add(client);
        return client;
    }

    /** Closes every long-lived client built here (their HTTP connection pools and credential providers). */
    @Override
    public void close() {
        for (SdkClient client : open) {
            try {
                client.close();
            } catch (RuntimeException e) {
                log.warn("Closing the AWS {} client failed: {}", client.serviceName(), e.toString());
            }
        }
        open.clear();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, Region region) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .apiCallTimeout(properties.callTimeout());
        interceptors.forEach(override::addExecutionInterceptor);
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
