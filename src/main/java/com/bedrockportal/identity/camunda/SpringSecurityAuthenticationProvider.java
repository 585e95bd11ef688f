package com.bedrockportal.identity.camunda;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.rest.security.auth.AuthenticationProvider;
import org.camunda.bpm.engine.rest.security.auth.AuthenticationResult;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Lets Camunda's webapp and REST API trust the portal's SSO login: a portal ADMIN is Camunda user
 * {@code <username>} in the read-only group {@link SsoAdminPlugin#VIEWERS}; anyone else is not authenticated for Camunda. Camunda creates
 * this class by reflection, hence public with a no-argument constructor.
 */
public class SpringSecurityAuthenticationProvider implements AuthenticationProvider {

    static final String REQUIRED_AUTHORITY = "ROLE_ADMIN";

    @Override
    public AuthenticationResult extractAuthenticatedUser(HttpServletRequest request, ProcessEngine engine) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken
                || auth.getAuthorities().stream().noneMatch(a -> REQUIRED_AUTHORITY.equals(a.getAuthority()))) {
            return AuthenticationResult.unsuccessful();
        }
        AuthenticationResult result = AuthenticationResult.successful(auth.getName());
        // Non-null lists: Camunda would otherwise look the user up in its own (empty) identity tables.
        result.setGroups(List.of(SsoAdminPlugin.VIEWERS));
        result.setTenants(List.of());
        return result;
    }

    @Override
    public void augmentResponseByAuthenticationChallenge(HttpServletResponse response, ProcessEngine engine) {
        // Spring Security owns the login flow; the filter has already answered 401.
    }
}
