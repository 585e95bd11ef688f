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
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Bounds how many pages of one node wait on AWS while they hold a database connection. A page that disables,
 * re-enables or revokes a key, issues a 12-hour key, hands an application over, saves a unit's budget, acts on a drift
 * finding or an access review, or retries a failed provisioning step calls AWS inside its transaction, and holds a
 * pooled connection until AWS answers (each call up to {@code portal.aws.call-timeout}). Process steps and scheduled
 * jobs are bounded by their own thread pools; pages were not, and while AWS was slow enough people acting at once
 * could take every connection the process steps left.
 * <p>
 * Around every call into a cloud port ({@link #PORTS}, both adapters): the first call a transaction makes while
 * serving an HTTP request (a page or the REST API) takes one of {@code portal.aws.page-calls} permits, and the
 * transaction keeps it until it ends, however many calls it makes (a revoke's disable and delete are one turn, so
 * the second is never refused after the first was made). A transaction that finds all taken waits at most
 * {@code portal.aws.page-call-wait} (none by default: a waiting page would hold its connection too). Without a permit
 * the call is not made: it fails as AWS's own throttling does ({@link CloudException.Kind#TRANSIENT}), so each page
 * says what it says when AWS does not answer ("nothing changed, try again"), and its transaction writes nothing.
 * Calls outside a transaction hold no connection of the page's and pass (in sandbox mode the simulated account opens
 * its own transaction for them, below the gate). A transaction of its own inside the page's holds a second connection
 * and takes a second permit. Counted: {@code portal_aws_page_calls_refused_total}, and the permits in use,
 * {@code portal_aws_page_calls_active}.
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

    private final Semaphore permits;
    private final int size;
    private final Duration wait;
    private final Counter refused;

    @Autowired
    PageCallGate(@Value("${portal.aws.page-calls:" + DEFAULT_SIZE + "}") int size,
            @Value("${portal.aws.page-call-wait:PT0S}") Duration wait, ObjectProvider<MeterRegistry> registry) {
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
                .description("Page transactions holding a turn to call AWS (portal.aws.page-calls)")
                .register(registry);
    }

    /** How many page transactions may hold a turn at once ({@code portal.aws.page-calls}). */
    public int size() {
        return size;
    }

    /** The turns held now. */
    public int active() {
        return size - permits.availablePermits();
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        if (RequestContextHolder.getRequestAttributes() == null
                || !TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()
                || TransactionSynchronizationManager.hasResource(this)) {
            return invocation.proceed();
        }
        String operation = invocation.getMethod().getName();
        boolean turn;
        try {
            turn = permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            turn = false;
        }
        if (!turn) {
            refused.increment();
            log.warn("AWS call {} from a page not made: no turn of the {} (portal.aws.page-calls) was free, or the "
                    + "wait was interrupted", operation, size);
            throw new CloudException(CloudException.Kind.TRANSIENT, operation, "not called: " + size
                    + " calls to AWS from pages already wait on this node (portal.aws.page-calls)");
        }
        TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new Turn());
        return invocation.proceed();
    }

    /** The transaction's permit: put aside while a transaction of its own runs inside it, given back at its end. */
    private final class Turn implements TransactionSynchronization {

        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResourceIfPossible(PageCallGate.this);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(PageCallGate.this, Boolean.TRUE);
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(PageCallGate.this);
            permits.release();
        }
    }

    /**
     * Whether the method is an operation of a cloud port the class implements (not the simulated account's own
     * methods, such as the sandbox console's fault settings).
     */
    static boolean isPortMethod(java.lang.reflect.Method method, Class<?> targetClass) {
        return PORTS.stream().anyMatch(port -> port.isAssignableFrom(targetClass)
                && ClassUtils.hasMethod(port, method.getName(), method.getParameterTypes()));
    }

    /**
     * Puts the gate around the cloud port operations of the beans that implement one, outside every other advice
     * (the simulated account's call counting included: a call not made is not counted as made).
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor pageCallGateAdvisor(ObjectProvider<PageCallGate> gate) {
        ComposablePointcut ports = new ComposablePointcut(
                c -> PORTS.stream().anyMatch(port -> port.isAssignableFrom(c)), new StaticMethodMatcher() {
                    @Override
                    public boolean matches(java.lang.reflect.Method method, Class<?> targetClass) {
                        return isPortMethod(method, targetClass);
                    }
                });
        SingletonSupplier<PageCallGate> once = SingletonSupplier.of(gate::getObject);
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(ports,
                (MethodInterceptor) invocation -> once.obtain().invoke(invocation));
        advisor.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return advisor;
    }
}
