package com.bedrockportal.provisioning;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Counts the AWS calls the portal makes, by operation and outcome ({@code portal_aws_calls_total}): both adapters
 * report here — the SDK adapter from an execution interceptor on every client, the simulated account from its
 * per-operation hook — so the metric means the same in either mode.
 */
@Component
public final class CloudCallMetrics {

    public static final String NAME = "portal.aws.calls";
    /** The outcome of a call AWS answered without an error; otherwise the {@link CloudException.Kind}'s name. */
    public static final String SUCCESS = "success";

    private final MeterRegistry registry;

    @Autowired
    CloudCallMetrics(ObjectProvider<MeterRegistry> registry) {
        this(registry.getIfAvailable(() -> Metrics.globalRegistry));
    }

    private CloudCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counting into this registry (tests of the adapters). */
    public static CloudCallMetrics on(MeterRegistry registry) {
        return new CloudCallMetrics(registry);
    }

    public void record(String operation, String outcome) {
        Counter.builder(NAME).description("AWS calls made by the portal, by operation and outcome")
                .tag("operation", operation == null ? "unknown" : operation).tag("outcome", outcome)
                .register(registry).increment();
    }

    public void failed(String operation, CloudException.Kind kind) {
        record(operation, kind.name());
    }
}
