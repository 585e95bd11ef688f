package com.bedrockportal.identity.camunda;

import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.ContainerBasedAuthenticationFilter;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;

/**
 * Camunda's container-based login for SSO users. The stock filter looks the user up in Camunda's user table and
 * fails for users that exist only in the IdP; this one builds the login from the provider's id and groups.
 */
class SsoContainerAuthenticationFilter extends ContainerBasedAuthenticationFilter {

    @Override
    protected UserAuthentication createAuthentication(ProcessEngine engine, String username, List<String> groups,
            List<String> tenants) {
        List<String> groupIds = groups == null ? List.of() : groups;
        Set<String> apps = new HashSet<>();
        apps.add(AuthenticationUtil.APP_WELCOME);
        if (engine.getProcessEngineConfiguration().isAuthorizationEnabled()) {
            AuthorizationService authorizations = engine.getAuthorizationService();
            for (String app : AuthenticationUtil.APPS) {
                if (authorizations.isUserAuthorized(username, groupIds, Permissions.ACCESS, Resources.APPLICATION, app)) {
                    apps.add(app);
                }
            }
        } else {
            Collections.addAll(apps, AuthenticationUtil.APPS);
        }
        UserAuthentication authentication = new UserAuthentication(username, engine.getName());
        authentication.setGroupIds(groupIds);
        authentication.setTenantIds(tenants == null ? List.of() : tenants);
        authentication.setAuthorizedApps(apps);
        // The user is not in Camunda's tables: a cache refresh would look them up and drop the login.
        authentication.setCacheValidationTime(new Date(Long.MAX_VALUE));
        return authentication;
    }
}
