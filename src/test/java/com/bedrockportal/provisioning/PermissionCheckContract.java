package com.bedrockportal.provisioning;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What both adapters of {@link PermissionCheck} must do alike. */
public interface PermissionCheckContract {

    PermissionCheck permissionCheck();

    /**
     * Arranges, as far as the adapter's account can be made to, that its identity may not do some of these actions,
     * and returns those, in the order asked (empty where the account allows everything).
     */
    List<String> refuseSomeOf(List<String> actions);

    @Test
    default void deniedActionsAreExactlyTheAskedOnesTheIdentityMayNotDo() {
        List<String> asked = List.of("iam:CreateUser", "budgets:ModifyBudget", "secretsmanager:CreateSecret");
        List<String> refused = refuseSomeOf(asked);
        assertThat(asked).containsAll(refused);
        assertThat(permissionCheck().deniedActions(asked)).containsExactlyElementsOf(refused);
    }
}
