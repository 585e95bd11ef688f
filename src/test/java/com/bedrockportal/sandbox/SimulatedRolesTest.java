package com.bedrockportal.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

import com.bedrockportal.provisioning.ApplicationRoles;
import com.bedrockportal.provisioning.ApplicationRolesContract;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.RoleSessions;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.bedrockportal.provisioning.Contracts.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulated account's roles pass the roles contract, plus AWS's rules only it can be asked about cheaply. */
class SimulatedRolesTest implements ApplicationRolesContract {

    static JdbcClient jdbc;
    static final SandboxAccountProperties AWS = new SandboxAccountProperties("123456789012", "us-east-1");

    @BeforeAll
    static void database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:sandbox-roles;DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/common", "classpath:db/migration/h2")
                .load().migrate();
        jdbc = JdbcClient.create((DataSource) ds);
    }

    SimulatedAccount account() {
        return new SimulatedAccount(jdbc, AWS, new SandboxProperties(Duration.ZERO, 0, "", "TRANSIENT"),
                Clock.systemUTC());
    }

    SimulatedRoles simulated() {
        return new SimulatedRoles(account(), jdbc, AWS, Clock.systemUTC());
    }

    @Override
    public ApplicationRoles roles() {
        return simulated();
    }

    @Override
    public RoleSessions sessions() {
        return simulated();
    }

    @Override
    public String portalPrincipal() {
        return account().callerIdentity().arn();
    }

    @Test
    void onlyThePrincipalTheRoleTrustsMayAssumeIt() {
        String name = unique("other") + "-bedrock";
        ApplicationRoles.IamRole role = roles().createRole(name, "/", ApplicationRoles.trustPolicy(
                "arn:aws:iam::123456789012:user/someone-else"), ApplicationRoles.MAX_SESSION_SECONDS, Map.of());
        assertThatThrownBy(() -> sessions().assumeRole(role.arn(), "alice", Duration.ofHours(1)))
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.kind())
                        .isEqualTo(CloudException.Kind.ACCESS_DENIED));
    }

    @Test
    void aSessionLongerThanTheRoleAllowsOrASessionNameIamRefusesIsInvalidInput() {
        String name = unique("short") + "-bedrock";
        ApplicationRoles.IamRole role = roles().createRole(name, "/", ApplicationRoles.trustPolicy(portalPrincipal()),
                3600, Map.of());
        assertThatThrownBy(() -> sessions().assumeRole(role.arn(), "alice", Duration.ofHours(2)))
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.kind())
                        .isEqualTo(CloudException.Kind.INVALID_INPUT));
        assertThatThrownBy(() -> sessions().assumeRole(role.arn(), "a", Duration.ofHours(1)))
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.kind())
                        .isEqualTo(CloudException.Kind.INVALID_INPUT));
        assertThatThrownBy(() -> roles().createRole(unique("long"), "/", ApplicationRoles.trustPolicy(
                portalPrincipal()), 43_201, Map.of())).isInstanceOf(CloudException.class);
    }

    @Test
    void aRoleWithItsPolicyCannotBeDeleted() {
        String name = unique("conflict") + "-bedrock";
        roles().createRole(name, "/", ApplicationRoles.trustPolicy(portalPrincipal()), 3600, Map.of());
        roles().putRolePolicy(name, "p", POLICY);
        assertThatThrownBy(() -> roles().deleteRole(name)).isInstanceOfSatisfying(CloudException.class,
                e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.CONFLICT));
        assertThat(simulated().rolePolicy(name, "p")).contains(POLICY);
    }
}
