package com.bedrockportal.identity;

import com.vaadin.flow.component.Component;

import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.Pointcut;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.method.AuthorizationInterceptorsOrder;
import org.springframework.security.authorization.method.AuthorizationManagerBeforeMethodInterceptor;
import org.springframework.security.authorization.method.Jsr250AuthorizationManager;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.util.function.SingletonSupplier;

/**
 * JSR-250 method security ({@code @RolesAllowed}) for the portal's services, not for its Vaadin views. The views
 * carry {@code @RolesAllowed} and {@code @PermitAll} for Vaadin's navigation access control, which reads them itself.
 * Spring Security's own JSR-250 advisor ({@code @EnableMethodSecurity(jsr250Enabled = true)}) matched them too: each
 * view became a CGLIB proxy whose every call, {@code getElement()} included, went through an authorization check, and
 * making that proxy matched every advisor against the hundreds of methods of a Vaadin component on each navigation
 * (28 % of the portal's CPU with 150 users navigating, issue 16). This advisor is that one with Vaadin components
 * left out: the same authorization manager, order, security-context strategy and denial events (which
 * {@link SecurityEventRelay} audits). The interceptor is built on first use, so the beans it needs are not created
 * while the bean post-processors are.
 */
final class ServiceMethodSecurity implements PointcutAdvisor, MethodInterceptor, Ordered, AopInfrastructureBean {

    private static final ClassFilter NOT_A_VAADIN_COMPONENT = type -> !Component.class.isAssignableFrom(type);

    private final Pointcut pointcut = new ComposablePointcut(AuthorizationManagerBeforeMethodInterceptor.jsr250()
            .getPointcut()).intersection(NOT_A_VAADIN_COMPONENT);
    private final SingletonSupplier<AuthorizationManagerBeforeMethodInterceptor> interceptor;

    ServiceMethodSecurity(ObjectProvider<SecurityContextHolderStrategy> strategy,
            ObjectProvider<AuthorizationEventPublisher> events) {
        this.interceptor = SingletonSupplier.of(() -> {
            AuthorizationManagerBeforeMethodInterceptor roles = AuthorizationManagerBeforeMethodInterceptor.jsr250(
                    new Jsr250AuthorizationManager());
            roles.setSecurityContextHolderStrategy(strategy.getIfAvailable(
                    SecurityContextHolder::getContextHolderStrategy));
            events.ifAvailable(roles::setAuthorizationEventPublisher);
            return roles;
        });
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        return interceptor.obtain().invoke(invocation);
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return this;
    }

    @Override
    public boolean isPerInstance() {
        return true;
    }

    @Override
    public int getOrder() {
        return AuthorizationInterceptorsOrder.JSR250.getOrder();
    }
}
