package com.bedrockportal.provisioning;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcher;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Bounds how many pages of one node wait on AWS while they hold a database connection. A page that disables,
 * re-enables or revokes a key, issues a 12-hour key, hands an application over or saves a unit's budget calls AWS
 * inside its transaction, and holds a pooled connection until AWS answers (each call up to
 * {@code portal.aws.call-timeout}). Process steps and scheduled jobs are bounded by their own thread pools; pages were
 * not, and while AWS was slow enough people acting at once could take every connection the process steps left.
 * <p>
 * Around every call into the cloud ports ({@link #PORTS}, both adapters): a call made while serving an HTTP request
 * (a page or the REST API) inside a transaction takes one of {@code portal.aws.page-calls} permits for as long as it
 * runs, waiting at most {@code portal.aws.page-call-wait} for one. Without one it is not made: it fails as AWS's own
 * throttling does ({@link CloudException.Kind#TRANSIENT}), so each page says what it says when AWS does not answer
 * ("nothing changed, try again") and its transaction writes nothing. Calls outside a transaction hold no connection and
 * pass; so do nested calls of a call that holds a permit. Counted: {@code portal_aws_page_calls_refused_total}, and
 * the permits in use, {@code portal_aws_page_calls_active}.
 */
@Component
public final class PageCallGate implements MethodInterceptor {

    /** The cloud ports whose calls the gate counts (the policy lint's Access Analyzer reports its own failures). */
    public static final List<Class<?>> PORTS = List.of(IamUsers.class, UserPolicies.class, ServiceCredentials.class,
            Budgets.class, Secrets.class, AccountIdentity.class, PermissionCheck.class, ApplicationRoles.class,
            RoleSessions.class, ActivityTrail.class, SpendReports.class, BedrockCalls.class, ApplicationSpend.class,
            AccountPosture.class, BudgetReadings.class);

    /** {@code portal.aws.page-calls} when not set. */
    public static final int DEFAULT_SIZE = 4;

    private static final Logger log = LoggerFactory.getLogger(PageCallGate.class);
    private static final ThreadLocal<Boolean> HOLDING = new ThreadLocal<>();

    private final Semaphore permits;
    private final int size;
    private final Duration wait;
    private final Counter refused;

    @Autowired
    PageCallGate(@Value("${portal.aws.page-calls:" + DEFAULT_SIZE + "}") int size,
            @Value("${portal.aws.page-call-wait:PT1S}") Duration wait, ObjectProvider<MeterRegistry> registry) {
        this(size, wait, registry.getIfAvailable(() -> Metrics.globalRegistry));
    }

    private PageCallGate(int size, Duration wait, MeterRegistry registry) {
        if (size < 1) {
            throw new IllegalArgumentException("portal.aws.page-calls must be at least 1, was " + size);
        }
        this.permits = new Semaphore(size, true);
        this.size = size;
        this.wait = wait.isNegative() ? Duration.ZERO : wait;
        this.refused = Counter.builder("portal.aws.page.calls.refused")
                .description("AWS calls from pages not made: all portal.aws.page-calls permits were in use")
                .register(registry);
        Gauge.builder("portal.aws.page.calls.active", this, PageCallGate::active)
                .description("AWS calls from pages under way while their transaction holds a database connection")
                .register(registry);
    }

    /** How many calls pages may have under way at once ({@code portal.aws.page-calls}). */
    public int size() {
        return size;
    }

    /** The permits in use now. */
    public int active() {
        return size - permits.availablePermits();
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        if (HOLDING.get() != null || RequestContextHolder.getRequestAttributes() == null
                || !TransactionSynchronizationManager.isActualTransactionActive()) {
            return invocation.proceed();
        }
        String operation = invocation.getMethod().getName();
        if (!permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            refused.increment();
            log.warn("AWS call {} from a page not made: all {} permits (portal.aws.page-calls) are held by pages "
                    + "waiting on AWS", operation, size);
            throw new CloudException(CloudException.Kind.TRANSIENT, operation, "not called: " + size
                    + " calls to AWS from pages already wait on this node (portal.aws.page-calls)");
        }
        HOLDING.set(Boolean.TRUE);
        try {
            return invocation.proceed();
        } finally {
            HOLDING.remove();
            permits.release();
        }
    }

    /**
     * Puts the gate around every public method of the beans that implement a cloud port, outside every other advice
     * (the simulated account's call counting included: a call not made is not counted as made).
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor pageCallGateAdvisor(ObjectProvider<PageCallGate> gate) {
        ComposablePointcut ports = new ComposablePointcut(
                c -> PORTS.stream().anyMatch(port -> port.isAssignableFrom(c)), new StaticMethodMatcher() {
                    @Override
                    public boolean matches(java.lang.reflect.Method method, Class<?> targetClass) {
                        return java.lang.reflect.Modifier.isPublic(method.getModifiers())
                                && method.getDeclaringClass() != Object.class;
                    }
                });
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(ports,
                (MethodInterceptor) invocation -> gate.getObject().invoke(invocation));
        advisor.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return advisor;
    }
}
