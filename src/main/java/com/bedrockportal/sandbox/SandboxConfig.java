package com.bedrockportal.sandbox;

import java.time.Clock;

import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.catalog.FoundationModelSource;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.provisioning.CloudCallMetrics;
import com.bedrockportal.sandbox.ui.SandboxView;
import com.vaadin.flow.router.RouteConfiguration;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.startup.ApplicationRouteRegistry;

import org.springframework.aop.Advisor;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.MethodMatcher;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcher;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The simulated account: the embedded default ({@code portal.aws.mode=sandbox}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "portal.aws.mode", havingValue = "sandbox", matchIfMissing = true)
class SandboxConfig {

    @Bean
    SimulatedAccount simulatedAccount(JdbcClient jdbc, SandboxAccountProperties account, SandboxProperties faults,
            Clock clock, @Value("${portal.sandbox.seed:0}") long seed) {
        return new SimulatedAccount(jdbc, account, faults, clock, seed);
    }

    /** The account's CloudTrail event history and Cost Explorer (the ActivityTrail, SpendReports, BedrockCalls and
     * ApplicationSpend ports). */
    @Bean
    SimulatedActivity simulatedActivity(SimulatedAccount account) {
        return account.activity();
    }

    /**
     * Counts the simulated account's calls by operation and outcome ({@code portal_aws_calls_total}) around every call
     * into it and its activity (CloudTrail, Cost Explorer), as the SDK adapter's interceptor does in aws mode.
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor simulatedCallMetrics(ObjectProvider<CloudCallMetrics> metrics) {
        ClassFilter simulated = c -> SimulatedAccount.class.isAssignableFrom(c)
                || SimulatedActivity.class.isAssignableFrom(c);
        MethodMatcher publicOperations = new StaticMethodMatcher() {
            @Override
            public boolean matches(java.lang.reflect.Method method, Class<?> targetClass) {
                return java.lang.reflect.Modifier.isPublic(method.getModifiers())
                        && method.getDeclaringClass() != Object.class;
            }
        };
        return new DefaultPointcutAdvisor(new ComposablePointcut(simulated, publicOperations),
                new SimulatedCallMetrics(metrics));
    }

    /** The account's IAM roles and AssumeRole (12-hour keys: the ApplicationRoles and RoleSessions ports). */
    @Bean
    SimulatedRoles simulatedRoles(SimulatedAccount account, JdbcClient jdbc, SandboxAccountProperties properties,
            Clock clock) {
        return new SimulatedRoles(account, jdbc, properties, clock);
    }

    @Bean
    FoundationModelSource sandboxFoundationModels() {
        return new SandboxFoundationModels();
    }

    // --- the simulated account's console (drift and fault injection at run time)

    @Bean
    SandboxConsole sandboxConsole(SimulatedAccount account, ObjectProvider<ApplicationService> applications,
            AuditLog audit,
            CurrentUser currentUser, @Value("${portal.provisioning.policy-name:bedrock-access-portal}") String policy) {
        return new SandboxConsole(account, applications, audit, currentUser, policy);
    }

    /** Its page exists only here: the route is not registered at start-up, so in aws mode there is no such page. */
    @Bean
    VaadinServiceInitListener sandboxConsoleRoute() {
        return event -> RouteConfiguration.forRegistry(ApplicationRouteRegistry.getInstance(event.getSource()
                .getContext())).setAnnotatedRoute(SandboxView.class);
    }
}
