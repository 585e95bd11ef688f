package com.bedrockportal.provisioning;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static com.bedrockportal.provisioning.Contracts.TAGS;
import static com.bedrockportal.provisioning.Contracts.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What both adapters of {@link ApplicationRoles} and {@link RoleSessions} must do alike (12-hour keys): a role made
 * once with its trust, session limit and tags; a second create is ALREADY_EXISTS; its inline policy; AssumeRole by
 * the trusted principal; deletes that count a missing role or policy as done.
 */
public interface ApplicationRolesContract {

    String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
            + "[\"bedrock:InvokeModel\",\"bedrock:CallWithBearerToken\"],\"Resource\":\"*\"}]}";

    ApplicationRoles roles();

    RoleSessions sessions();

    /** The ARN of the principal the adapter calls AWS as (the one the role must trust). */
    String portalPrincipal();

    @Test
    default void createsARoleWithTrustSessionLimitAndTagsOnceAndFindsIt() {
        String name = unique("bu-app") + "-bedrock";
        ApplicationRoles.IamRole role = roles().createRole(name, "/bedrock-portal/",
                ApplicationRoles.trustPolicy(portalPrincipal()), ApplicationRoles.MAX_SESSION_SECONDS, TAGS);
        assertThat(role.arn()).endsWith(":role/bedrock-portal/" + name);
        assertThat(roles().findRole(name)).get().satisfies(r -> {
            assertThat(r.tags()).containsAllEntriesOf(TAGS);
            assertThat(r.maxSessionSeconds()).isEqualTo(43_200);
            assertThat(r.trustPolicy()).contains(portalPrincipal());
        });
        assertThatThrownBy(() -> roles().createRole(name, "/bedrock-portal/",
                ApplicationRoles.trustPolicy(portalPrincipal()), ApplicationRoles.MAX_SESSION_SECONDS, TAGS))
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.kind())
                        .isEqualTo(CloudException.Kind.ALREADY_EXISTS));
        assertThat(roles().findRole(unique("nobody"))).isEmpty();

        roles().tagRole(name, Map.of("owner", "mike@example.com"));
        roles().tagRole(name, Map.of("owner", "mike@example.com"));
        assertThat(roles().findRole(name)).get().satisfies(r -> assertThat(r.tags())
                .containsEntry("owner", "mike@example.com").containsAllEntriesOf(TAGS));
    }

    @Test
    default void theTrustedPrincipalAssumesTheRoleForUpToTwelveHours() {
        String name = unique("sess") + "-bedrock";
        ApplicationRoles.IamRole role = roles().createRole(name, "/bedrock-portal/",
                ApplicationRoles.trustPolicy(portalPrincipal()), ApplicationRoles.MAX_SESSION_SECONDS, TAGS);
        roles().putRolePolicy(name, "bedrock-access-portal", POLICY);
        roles().putRolePolicy(name, "bedrock-access-portal", POLICY);

        Instant before = Instant.now();
        RoleSessions.SessionCredentials session = sessions().assumeRole(role.arn(), "alice", Duration.ofHours(12));
        assertThat(session.accessKeyId()).startsWith("ASIA");
        assertThat(session.secretAccessKey()).isNotBlank();
        assertThat(session.sessionToken()).isNotBlank();
        assertThat(session.expiresAt()).isAfter(before.plus(Duration.ofHours(11)))
                .isBefore(before.plus(Duration.ofHours(12)).plusSeconds(120));
        assertThat(session.toString()).doesNotContain(session.secretAccessKey()).doesNotContain(session.sessionToken());
    }

    @Test
    default void deletingThePolicyThenTheRoleIsIdempotent() {
        String name = unique("gone") + "-bedrock";
        roles().createRole(name, "/bedrock-portal/", ApplicationRoles.trustPolicy(portalPrincipal()),
                ApplicationRoles.MAX_SESSION_SECONDS, Map.of());
        roles().putRolePolicy(name, "bedrock-access-portal", POLICY);
        assertThat(roles().deleteRolePolicy(name, "bedrock-access-portal")).isTrue();
        assertThat(roles().deleteRolePolicy(name, "bedrock-access-portal")).isFalse();
        assertThat(roles().deleteRole(name)).isTrue();
        assertThat(roles().deleteRole(name)).isFalse();
        assertThat(roles().findRole(name)).isEmpty();
    }
}
