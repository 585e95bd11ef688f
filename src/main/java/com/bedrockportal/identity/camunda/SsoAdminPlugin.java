package com.bedrockportal.identity.camunda;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.identity.db.DbReadOnlyIdentityServiceProvider;
import org.camunda.bpm.engine.impl.persistence.GenericManagerFactory;

/**
 * Users live in the IdP, not in Camunda: a read-only identity provider (so the webapp never offers its first-admin
 * setup page or user creation), and every authorization for the admin group that portal ADMINs map to.
 */
class SsoAdminPlugin extends AbstractProcessEnginePlugin {

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setIdentityProviderSessionFactory(new GenericManagerFactory(DbReadOnlyIdentityServiceProvider.class));
        List<String> groups = configuration.getAdminGroups() == null ? new ArrayList<>()
                : new ArrayList<>(configuration.getAdminGroups());
        if (!groups.contains(Groups.CAMUNDA_ADMIN)) {
            groups.add(Groups.CAMUNDA_ADMIN);
        }
        configuration.setAdminGroups(groups);
    }

    @Override
    public void postProcessEngineBuild(ProcessEngine engine) {
        AuthorizationService authorizations = engine.getAuthorizationService();
        for (Resources resource : Resources.values()) {
            boolean granted = authorizations.createAuthorizationQuery().groupIdIn(Groups.CAMUNDA_ADMIN)
                    .resourceType(resource).resourceId(Authorization.ANY).count() > 0;
            if (!granted) {
                Authorization grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
                grant.setGroupId(Groups.CAMUNDA_ADMIN);
                grant.setResource(resource);
                grant.setResourceId(Authorization.ANY);
                grant.addPermission(Permissions.ALL);
                authorizations.saveAuthorization(grant);
            }
        }
    }
}
