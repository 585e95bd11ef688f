package com.bedrockportal.lifecycle;

import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.sandbox.SandboxFaults;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AWS fails half-way through a revoke (the delete does not answer): the portal's record is left as it was. */
@TestPropertySource(properties = "portal.sandbox.fail-operation=DeleteServiceSpecificCredential")
@ExtendWith(OutputCaptureExtension.class)
class KeyActionsCloudFailureIT extends PostgresSupport {

    @Autowired
    KeyActions actions;
    @Autowired
    ApiKeys keys;
    @Autowired
    IamUsers users;
    @Autowired
    ServiceCredentials credentials;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SimulatedAccount account;

    @Test
    void aTransientFailureSaysTryAgainAndChangesNothingInThePortal() {
        LiveKeys live = new LiveKeys(jdbc, keys, users, credentials);
        ApiKey key = live.issue(Fixtures.unit(units, "kf"), "alice", true);

        assertThatThrownBy(() -> RunAs.user("sara", () -> actions.revoke(key.id(), "leaked"), "SECURITY"))
                .isInstanceOfSatisfying(KeyActions.CloudFailed.class, e -> {
                    assertThat(e.retry()).isTrue();
                    assertThat(e.getMessage()).contains("nothing changed in the portal. Try again");
                });

        assertThat(live.status(key)).isEqualTo("ACTIVE");
        assertThat(keys.find(key.id()).orElseThrow().statusChangedBy()).isNull();
        assertThat(live.audited("KEY_REVOKED", key)).isZero();
        assertThat(live.notified("alice", key, "was revoked")).isZero();
        // Not deleted. (Real AWS keeps the disable that went before; the simulated account writes in the portal's
        // transaction, so it rolls back too. Either way a retry disables and deletes.)
        assertThat(live.inAws(key)).isNotNull();
    }

    /**
     * AWS refuses (access denied): the person is told which call and why, with a reference to the log line, but not
     * AWS's own words, which can name the portal's role and account (and reach REST API callers in a 502).
     */
    @Test
    void aRefusalNamesTheCallAndALogReferenceButNotAwssOwnWords(CapturedOutput output) {
        LiveKeys live = new LiveKeys(jdbc, keys, users, credentials);
        ApiKey key = live.issue(Fixtures.unit(units, "kr"), "alice", true);
        SandboxFaults.fail(account, "DeleteServiceSpecificCredential", "ACCESS_DENIED");
        try {
            assertThatThrownBy(() -> RunAs.user("sara", () -> actions.revoke(key.id(), "leaked"), "SECURITY"))
                    .isInstanceOfSatisfying(KeyActions.CloudFailed.class, e -> {
                        assertThat(e.retry()).isFalse();
                        assertThat(e.getMessage()).contains("AWS refused the change; nothing changed in the portal")
                                .contains("DeleteServiceSpecificCredential: access denied (log reference ")
                                .doesNotContain("injected failure");
                        String reference = e.getMessage().replaceAll("(?s).*log reference ([0-9a-f]+)\\).*", "$1");
                        assertThat(output.getAll()).contains("log reference " + reference + "): "
                                + "DeleteServiceSpecificCredential: injected failure");
                    });
        } finally {
            SandboxFaults.fail(account, "DeleteServiceSpecificCredential", "TRANSIENT"); // this class's setting
        }
        assertThat(live.status(key)).isEqualTo("ACTIVE");
    }
}
