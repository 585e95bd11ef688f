package com.bedrockportal.provisioning;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static com.bedrockportal.provisioning.Contracts.unique;
import static com.bedrockportal.provisioning.ServiceCredentials.BEDROCK_SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What both adapters of {@link ServiceCredentials} must do alike; the users come from {@link IamUsers}. */
public interface ServiceCredentialsContract {

    IamUsers iamUsers();

    ServiceCredentials serviceCredentials();

    @Test
    default void atMostTwoBedrockKeysPerUserWithTheirExpiry() {
        String name = unique("keys");
        iamUsers().createUser(name, "/", Map.of());
        ServiceCredentials.NewServiceCredential first = serviceCredentials().createServiceCredential(name,
                BEDROCK_SERVICE, 30);
        serviceCredentials().createServiceCredential(name, BEDROCK_SERVICE, 7);
        assertThat(new String(first.secret())).startsWith("ABSK").hasSizeGreaterThan(40);
        assertThat(first.credential().status()).isEqualTo("Active");
        assertThat(Duration.between(first.credential().createdAt(), first.credential().expiresAt()))
                .isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> serviceCredentials().createServiceCredential(name, BEDROCK_SERVICE, 30))
                .isInstanceOfSatisfying(CloudException.class,
                        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.LIMIT_EXCEEDED));
        assertThat(serviceCredentials().listServiceCredentials(name, BEDROCK_SERVICE)).hasSize(2)
                .allSatisfy(c -> assertThat(c.expiresAt()).isAfter(c.createdAt()));
    }

    @Test
    default void aKeyCanBeDisabledAndDeleted() {
        String name = unique("toggle");
        iamUsers().createUser(name, "/", Map.of());
        String id = serviceCredentials().createServiceCredential(name, BEDROCK_SERVICE, 1).credential()
                .credentialId();
        serviceCredentials().updateServiceCredentialStatus(name, id, false);
        assertThat(serviceCredentials().listServiceCredentials(name, BEDROCK_SERVICE)).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo("Inactive"));
        serviceCredentials().deleteServiceCredential(name, id);
        assertThat(serviceCredentials().listServiceCredentials(name, BEDROCK_SERVICE)).isEmpty();
    }

    /** What revoking relies on: a deleted key frees its slot, and AWS answers NOT_FOUND for it afterwards. */
    @Test
    default void aDeletedKeyFreesItsSlotAndIsNotFoundAfterwards() {
        String name = unique("revoke");
        iamUsers().createUser(name, "/", Map.of());
        String first = serviceCredentials().createServiceCredential(name, BEDROCK_SERVICE, 30).credential()
                .credentialId();
        serviceCredentials().createServiceCredential(name, BEDROCK_SERVICE, 30);
        serviceCredentials().updateServiceCredentialStatus(name, first, false);
        serviceCredentials().deleteServiceCredential(name, first);
        assertThat(serviceCredentials().listServiceCredentials(name, BEDROCK_SERVICE))
                .extracting(ServiceCredentials.ServiceCredential::credentialId).hasSize(1).doesNotContain(first);
        assertThat(serviceCredentials().createServiceCredential(name, BEDROCK_SERVICE, 30).credential().status())
                .isEqualTo("Active");
        assertThatThrownBy(() -> serviceCredentials().deleteServiceCredential(name, first))
                .isInstanceOfSatisfying(CloudException.class,
                        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> serviceCredentials().updateServiceCredentialStatus(name, first, false))
                .isInstanceOfSatisfying(CloudException.class,
                        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.NOT_FOUND));
    }

    @Test
    default void aKeyLifetimeOutsideOneTo36600DaysIsRefused() {
        String name = unique("age");
        iamUsers().createUser(name, "/", Map.of());
        assertThatThrownBy(() -> serviceCredentials().createServiceCredential(name, BEDROCK_SERVICE, 0))
                .isInstanceOfSatisfying(CloudException.class,
                        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.INVALID_INPUT));
    }

    // --- Decommissioning

    /** What decommissioning lists before it deletes a user: its credentials of every service. */
    @Test
    default void withoutAServiceNameEveryCredentialOfTheUserIsListed() {
        String name = unique("all");
        iamUsers().createUser(name, "/", Map.of());
        serviceCredentials().createServiceCredential(name, BEDROCK_SERVICE, 30);
        serviceCredentials().createServiceCredential(name, "codecommit.amazonaws.com", 30);
        assertThat(serviceCredentials().listServiceCredentials(name, null))
                .extracting(ServiceCredentials.ServiceCredential::serviceName)
                .containsExactlyInAnyOrder(BEDROCK_SERVICE, "codecommit.amazonaws.com");
    }
}
