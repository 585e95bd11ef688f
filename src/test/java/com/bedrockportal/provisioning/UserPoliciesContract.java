package com.bedrockportal.provisioning;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import static com.bedrockportal.provisioning.Contracts.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What both adapters of {@link UserPolicies} must do alike; the users come from {@link IamUsers}. */
public interface UserPoliciesContract {

    IamUsers iamUsers();

    UserPolicies userPolicies();

    @Test
    default void putUserPolicyCreatesThenReplaces() throws Exception {
        String name = unique("pol");
        iamUsers().createUser(name, "/", Map.of());
        assertThat(userPolicies().findUserPolicy(name, "bedrock-access")).isEmpty();
        String first = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"bedrock:InvokeModel\",\"Resource\":\"*\"}]}";
        String second = first.replace("bedrock:InvokeModel", "bedrock:CallWithBearerToken");
        userPolicies().putUserPolicy(name, "bedrock-access", first);
        userPolicies().putUserPolicy(name, "bedrock-access", second);
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(userPolicies().findUserPolicy(name, "bedrock-access").orElseThrow()))
                .isEqualTo(json.readTree(second));
    }

    @Test
    default void aPolicyForAMissingUserIsNotFound() {
        assertThatThrownBy(() -> userPolicies().putUserPolicy(unique("ghost"), "p",
                "{\"Version\":\"2012-10-17\",\"Statement\":[]}"))
                .isInstanceOfSatisfying(CloudException.class,
                        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.NOT_FOUND));
    }

    // --- Decommissioning

    /** The order decommissioning follows: IAM refuses to delete a user that still has an inline policy. */
    @Test
    default void anInlinePolicyIsDeletedIdempotentlyAndThenItsUserCanBe() {
        String name = unique("teardown");
        iamUsers().createUser(name, "/", Map.of());
        userPolicies().putUserPolicy(name, "bedrock-access", "{\"Version\":\"2012-10-17\",\"Statement\":[{"
                + "\"Effect\":\"Allow\",\"Action\":\"bedrock:InvokeModel\",\"Resource\":\"*\"}]}");
        assertThatThrownBy(() -> iamUsers().deleteUser(name)).isInstanceOfSatisfying(CloudException.class, e -> {
            assertThat(e.kind()).isEqualTo(CloudException.Kind.CONFLICT);
            assertThat(e.business()).isTrue();
        });
        assertThat(userPolicies().deleteUserPolicy(name, "bedrock-access")).isTrue();
        assertThat(userPolicies().findUserPolicy(name, "bedrock-access")).isEmpty();
        assertThat(userPolicies().deleteUserPolicy(name, "bedrock-access")).isFalse();
        assertThat(iamUsers().deleteUser(name)).isTrue();
        assertThat(userPolicies().deleteUserPolicy(name, "bedrock-access")).as("user gone too").isFalse();
    }
}
