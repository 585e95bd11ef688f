package com.bedrockportal.lifecycle;

import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AWS fails half-way through a revoke (the delete does not answer): the portal's record is left as it was. */
@TestPropertySource(properties = "portal.sandbox.fail-operation=DeleteServiceSpecificCredential")
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
}
