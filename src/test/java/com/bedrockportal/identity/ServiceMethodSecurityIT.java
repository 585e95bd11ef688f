package com.bedrockportal.identity;

import java.time.Duration;
import java.util.List;

import com.bedrockportal.review.AccessReviews;
import com.bedrockportal.testsupport.PortalClasses;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;
import com.vaadin.flow.router.Route;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Method security guards the services and leaves the views alone: no advisor of the portal applies to a view (a
 * view made through Spring would otherwise be a proxy checked on every call, and matched against every advisor on
 * each navigation), while a service method's {@code @RolesAllowed} still refuses the wrong role and the refusal is
 * audited.
 */
class ServiceMethodSecurityIT extends PostgresSupport {

    @Autowired
    ApplicationContext context;
    @Autowired
    AccessReviews reviews;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void noAdvisorAppliesToAnyView() throws ClassNotFoundException {
        List<Class<?>> views = new java.util.ArrayList<>();
        for (String view : PortalClasses.matching(new AnnotationTypeFilter(Route.class))) {
            views.add(Class.forName(view));
        }
        assertThat(views).hasSizeGreaterThan(30);
        var advisors = context.getBeansOfType(Advisor.class).values();
        assertThat(advisors).anyMatch(ServiceMethodSecurity.class::isInstance);
        for (Class<?> view : views) {
            assertThat(advisors).as("advisors applying to %s", view.getSimpleName()).noneMatch(a -> AopUtils
                    .canApply(a, view));
        }
        assertThat(advisors).filteredOn(ServiceMethodSecurity.class::isInstance).allMatch(a -> AopUtils.canApply(a,
                AccessReviews.class));
    }

    @Test
    void navigationIsCheckedByVaadinsAccessControlWithRolesAskedOfTheRequest() {
        var control = context.getBean(com.vaadin.flow.server.auth.NavigationAccessControl.class); // the primary one
        assertThat(control).isInstanceOf(RolesFromRequest.class);
        assertThat(control.isEnabled()).isTrue();
        assertThat(control.hasAccessChecker(com.vaadin.flow.server.auth.AnnotatedViewAccessChecker.class)).isTrue();
    }

    @Test
    void aServiceMethodRefusesTheWrongRoleAndTheRefusalIsAudited() {
        int before = denials();
        assertThatThrownBy(() -> RunAs.user("mike", () -> reviews.start(), "MANAGER"))
                .isInstanceOf(AccessDeniedException.class);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> denials() == before + 1);
    }

    private int denials() {
        return jdbc.queryForObject("select count(*) from audit_event where actor = 'mike' and action = 'ACCESS_DENIED' "
                + "and target = 'AccessReviews.start'", Integer.class);
    }
}
