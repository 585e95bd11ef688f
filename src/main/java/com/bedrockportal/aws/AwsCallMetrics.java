package com.bedrockportal.aws;

import com.bedrockportal.provisioning.CloudCallMetrics;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every SDK call by operation and outcome: once per call, after the SDK's own retries (an execution, not an
 * attempt), classified as {@link AwsCloudAccount#kindOf} classifies failures for the ports.
 */
class AwsCallMetrics implements ExecutionInterceptor {

    private final CloudCallMetrics metrics;

    AwsCallMetrics(CloudCallMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        metrics.record(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), CloudCallMetrics.SUCCESS);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable failure = context.exception();
        if (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        metrics.failed(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), AwsCloudAccount.kindOf(failure));
    }
}
