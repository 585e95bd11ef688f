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

    // --- ownership handover (issue 10, owners)

    @Test
    default void taggingAUserOverwritesThoseTagsKeepsTheOthersAndCanBeRepeated() {
        String name = unique("tagged") + "-bedrock";
        iamUsers().createUser(name, "/bedrock-portal/", Map.of("business-unit", "marketing", "owner",
                "alice@example.com", "purpose", "bedrock"));
        iamUsers().tagUser(name, Map.of("owner", "mike@example.com"));
        iamUsers().tagUser(name, Map.of("owner", "mike@example.com"));
        assertThat(iamUsers().findUser(name)).get().satisfies(u -> assertThat(u.tags()).containsExactlyInAnyOrderEntriesOf(
                Map.of("business-unit", "marketing", "owner", "mike@example.com", "purpose", "bedrock")));
    }

    @Test
    default void taggingAUserThatDoesNotExistIsNotFound() {
        assertThatThrownBy(() -> iamUsers().tagUser(unique("nobody"), Map.of("owner", "mike@example.com")))
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.kind())
                        .isEqualTo(CloudException.Kind.NOT_FOUND));
    }

    // --- drift reconciliation

    /** The reconciliation lists the users under the portal's path only, and stops past its cap. */
    @Test
    default void listsTheUsersUnderAPathUpToALimit() {
        String path = "/bedrock-portal/" + unique("drift") + "/";
        String a = unique("la");
        String b = unique("lb");
        String c = unique("lc");
        iamUsers().createUser(a, path, TAGS);
        iamUsers().createUser(b, path, Map.of());
        iamUsers().createUser(c, path, Map.of());
        iamUsers().createUser(unique("elsewhere"), "/", Map.of());

        IamUsers.UserListing all = iamUsers().listUsers(path, 10);
        assertThat(all.truncated()).isFalse();
        assertThat(all.users()).extracting(IamUsers.IamUser::userName).containsExactlyInAnyOrder(a, b, c);
        assertThat(all.users()).allSatisfy(u -> {
            assertThat(u.path()).isEqualTo(path);
            assertThat(u.arn()).endsWith(":user" + path + u.userName());
        });

        IamUsers.UserListing capped = iamUsers().listUsers(path, 2);
        assertThat(capped.truncated()).isTrue();
        assertThat(capped.users()).hasSize(2);
        assertThat(iamUsers().listUsers("/bedrock-portal/" + unique("empty") + "/", 10).users()).isEmpty();
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
