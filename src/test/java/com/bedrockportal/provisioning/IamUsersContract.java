package com.bedrockportal.provisioning;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static com.bedrockportal.provisioning.Contracts.TAGS;
import static com.bedrockportal.provisioning.Contracts.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What both adapters of {@link IamUsers} must do alike. */
public interface IamUsersContract {

    IamUsers iamUsers();

    @Test
    default void createsAUserWithItsTagsInOneCall() {
        String name = unique("bu") + "-bedrock-user";
        IamUsers.IamUser user = iamUsers().createUser(name, "/bedrock-portal/", TAGS);
        assertThat(user.userName()).isEqualTo(name);
        assertThat(user.arn()).endsWith(":user/bedrock-portal/" + name);
        assertThat(iamUsers().findUser(name)).get().satisfies(u -> assertThat(u.tags()).containsAllEntriesOf(TAGS));
        assertThat(iamUsers().findUser(unique("nobody"))).isEmpty();
    }

    @Test
    default void aSecondUserWithTheSameNameIsAlreadyExists() {
        String name = unique("dup");
        iamUsers().createUser(name, "/", Map.of());
        assertThatThrownBy(() -> iamUsers().createUser(name, "/", Map.of()))
                .isInstanceOfSatisfying(CloudException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CloudException.Kind.ALREADY_EXISTS);
                    assertThat(e.business()).isTrue();
                });
    }

    // --- Decommissioning

    @Test
    default void aUserIsDeletedAndDeletingItAgainCountsAsDone() {
        String name = unique("gone");
        iamUsers().createUser(name, "/bedrock-portal/", TAGS);
        assertThat(iamUsers().deleteUser(name)).isTrue();
        assertThat(iamUsers().findUser(name)).isEmpty();
        assertThat(iamUsers().deleteUser(name)).isFalse();
        assertThat(iamUsers().deleteUser(unique("never"))).isFalse();
    }
}
