package com.bedrockportal.sandbox;

import java.util.ArrayList;
import java.util.List;

import com.bedrockportal.provisioning.CloudCallMetrics;
import com.bedrockportal.provisioning.CloudException;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Counts the simulated account's calls by operation and outcome, as the SDK adapter's interceptor does for AWS. Wraps
 * each call into the simulated account from outside: the operations it passes through its per-operation hook
 * ({@link SimulatedAccount#call}) on the way succeed, except the one a {@link CloudException} names when the call
 * ends with one (an injected fault or a rule of the simulation), which counts with its kind.
 */
final class SimulatedCallMetrics implements MethodInterceptor {

    private static final ThreadLocal<List<String>> OPERATIONS = new ThreadLocal<>();

    private final ObjectProvider<CloudCallMetrics> metrics;

    SimulatedCallMetrics(ObjectProvider<CloudCallMetrics> metrics) {
        this.metrics = metrics;
    }

    /** The per-operation hook: notes the operation for the call under way on this thread (none: not counted). */
    static void called(String operation) {
        List<String> operations = OPERATIONS.get();
        if (operations != null) {
            operations.add(operation);
        }
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        if (OPERATIONS.get() != null) {
            return invocation.proceed();
        }
        List<String> operations = new ArrayList<>();
        OPERATIONS.set(operations);
        CloudCallMetrics counter = metrics.getIfAvailable();
        try {
            Object result = invocation.proceed();
            if (counter != null) {
                operations.forEach(o -> counter.record(o, CloudCallMetrics.SUCCESS));
            }
            return result;
        } catch (CloudException e) {
            if (counter != null) {
                int failed = operations.lastIndexOf(e.operation());
                for (int i = 0; i < operations.size(); i++) {
                    if (i == failed) {
                        counter.failed(operations.get(i), e.kind());
                    } else {
                        counter.record(operations.get(i), CloudCallMetrics.SUCCESS);
                    }
                }
                if (failed < 0) {
                    counter.failed(e.operation(), e.kind());
                }
            }
            throw e;
        } finally {
            OPERATIONS.remove();
        }
    }
}
