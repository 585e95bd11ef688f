package com.bedrockportal.identity.camunda;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.identity.db.DbReadOnlyIdentityServiceProvider;
import org.camunda.bpm.engine.impl.persistence.GenericManagerFactory;
import org.camunda.bpm.engine.impl.util.ResourceTypeUtil;

/**
 * Users live in the IdP, not in Camunda: a read-only identity provider (so the webapp never offers its first-admin
 * setup page or user creation). Portal ADMINs map to the group {@link #VIEWERS}, which is <em>not</em> a Camunda
 * admin group (those bypass every authorization check) and holds read permissions only: Cockpit to watch processes,
 * incidents and history; no deployments, no task work, no variable, instance or job changes, no authorization
 * changes. The grants are reconciled at every start, so a grant added by hand does not survive a restart.
 * <p>
 * Nor does the engine grant anyone anything by itself ({@link NoAutomaticGrants}): by default it grants every
 * candidate, assignee and owner of a task the right to work it, which would let an ADMIN who is also a unit's manager
 * complete that unit's approval task in Camunda. Such grants made before are deleted at start: the viewers' grants are
 * the only ones the engine holds.
 */
class SsoAdminPlugin extends AbstractProcessEnginePlugin {

    /** The Camunda group of portal ADMINs: read-only. */
    static final String VIEWERS = "portal-camunda-viewers";

    /** The webapps the viewers may open: Cockpit only (Tasklist works tasks, Admin changes authorizations). */
    static final List<String> APPS = List.of("cockpit");

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setIdentityProviderSessionFactory(new GenericManagerFactory(DbReadOnlyIdentityServiceProvider.class));
        List<String> groups = configuration.getAdminGroups() == null ? new ArrayList<>()
                : new ArrayList<>(configuration.getAdminGroups());
        // Nobody is a Camunda administrator: the engine's own group would bypass every authorization check.
        groups.remove(Groups.CAMUNDA_ADMIN);
        groups.remove(VIEWERS);
        configuration.setAdminGroups(groups);
        configuration.setAdminUsers(new ArrayList<>());
        configuration.setResourceAuthorizationProvider(new NoAutomaticGrants());
    }

    @Override
    public void postProcessEngineBuild(ProcessEngine engine) {
        AuthorizationService authorizations = engine.getAuthorizationService();
        // Earlier versions granted ALL to camunda-admin, and the engine granted tasks' candidates, assignees and
        // owners (users and groups) the right to work them: drop every grant and grant the viewers again.
        deleteAllGrants(engine);
        for (String app : APPS) {
            grant(authorizations, Resources.APPLICATION, app, Permissions.ACCESS);
        }
        for (Resources resource : Resources.values()) {
            Permission[] reads = readPermissions(resource);
            if (resource != Resources.APPLICATION && reads.length > 0) {
                grant(authorizations, resource, Authorization.ANY, reads);
            }
        }
    }

    /**
     * Every authorization in the engine, in one statement: there may be one per candidate of every task ever created.
     * (The portal sets no table prefix.)
     */
    private static void deleteAllGrants(ProcessEngine engine) {
        DataSource dataSource = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
                .getDataSource();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("delete from ACT_RU_AUTHORIZATION");
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not reset the process engine's authorizations", e);
        }
    }

    /** The permissions of a resource type that only read ({@code READ}, {@code READ_HISTORY}, …). */
    static Permission[] readPermissions(Resource resource) {
        return Arrays.stream(ResourceTypeUtil.getPermissionsByResourceType(resource.resourceType()))
                .filter(p -> p.getName().startsWith("READ"))
                .filter(p -> ResourceTypeUtil.resourceIsContainedInArray(resource.resourceType(), p.getTypes()))
                .toArray(Permission[]::new);
    }

    private static void grant(AuthorizationService authorizations, Resource resource, String resourceId,
            Permission... permissions) {
        Authorization grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
        grant.setGroupId(VIEWERS);
        grant.setResource(resource);
        grant.setResourceId(resourceId);
        for (Permission permission : permissions) {
            grant.addPermission(permission);
        }
        try {
            authorizations.saveAuthorization(grant);
        } catch (ProcessEngineException e) {
            // Another node starting at the same moment granted it first (one grant per group and resource).
            if (authorizations.createAuthorizationQuery().groupIdIn(VIEWERS).resourceType(resource)
                    .resourceId(resourceId).count() == 0) {
                throw e;
            }
        }
    }
}
