package com.bedrockportal.identity;

import java.util.List;
import java.util.function.Predicate;

import com.vaadin.flow.server.HandlerHelper;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.auth.AccessCheckDecisionResolver;
import com.vaadin.flow.server.auth.NavigationAccessChecker;
import com.vaadin.flow.spring.security.SpringNavigationAccessControl;
import com.vaadin.flow.spring.security.VaadinRolePrefixHolder;

/**
 * Vaadin's navigation access control for Spring, asking the user's roles of the request the way Vaadin does, but
 * with its role-prefix holder given once instead of looked up on every navigation. Vaadin's own lookup of that
 * holder is not cached (it is no Vaadin-internal service), so each navigation asked the Spring context for the bean
 * and then searched every jar's {@code META-INF/services} through {@code ServiceLoader}: about 3.5 % of the portal's
 * CPU with 150 users navigating (issue 16). A websocket push request (no servlet request to ask) still goes
 * Vaadin's way.
 */
final class RolesFromRequest extends SpringNavigationAccessControl {

    private static final long serialVersionUID = 1L;

    private final VaadinRolePrefixHolder rolePrefix;

    RolesFromRequest(List<NavigationAccessChecker> checkers, AccessCheckDecisionResolver resolver,
            VaadinRolePrefixHolder rolePrefix) {
        super(checkers, resolver);
        this.rolePrefix = rolePrefix;
    }

    @Override
    protected Predicate<String> getRolesChecker(VaadinRequest request) {
        if (request == null || isWebsocketPush(request)) {
            return super.getRolesChecker(request);
        }
        if (!rolePrefix.isSet()) {
            rolePrefix.resetRolePrefix(request);
        }
        return request::isUserInRole;
    }

    /**
     * As Vaadin tells a push message that came over the websocket ({@code SecurityUtil.isWebsocketPush}, private in
     * Vaadin 24.9: compare it on every Vaadin upgrade).
     */
    static boolean isWebsocketPush(VaadinRequest request) {
        return HandlerHelper.isRequestType(request, HandlerHelper.RequestType.PUSH)
                && "websocket".equals(request.getHeader("X-Atmosphere-Transport"));
    }
}
