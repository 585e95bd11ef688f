package com.bedrockportal.provisioning;

import java.util.List;
import java.util.UUID;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Replaying provisioning: every step run twice, and the key step run again after a crash between the AWS call and
 * the commit, leave exactly one user, one policy, one key, one budget and one secret in the (simulated) account.
 */
class ProvisioningReplayIT extends PostgresSupport {

    @Autowired
    Provisioner provisioner;
    @Autowired
    ServiceCredentials credentials;
    @Autowired
    BusinessUnitService units;
    @Autowired
    ModelCatalog catalog;
    @Autowired
    JdbcTemplate jdbc;

    BusinessUnit unit;
    long requestId;

    @BeforeEach
    void approvedRequest() {
        unit = Fixtures.unit(units, "rp");
        requestId = ApprovedOrders.approvedRequest(jdbc, unit);
    }

    private Provisioner.Order order() {
        return ApprovedOrders.order(jdbc, requestId, unit, catalog);
    }

    @Test
    void everyStepRunTwiceCreatesEverythingOnce() {
        for (int round = 0; round < 2; round++) {
            for (ProvisioningStep step : ProvisioningStep.values()) {
                provisioner.run(step, order());
            }
        }
        String user = order().iamUser();
        assertThat(count("sandbox_iam_user", "user_name", user)).isEqualTo(1);
        assertThat(count("sandbox_user_policy", "user_name", user)).isEqualTo(1);
        assertThat(count("sandbox_credential", "user_name", user)).isEqualTo(1);
        assertThat(count("sandbox_budget", "budget_name", order().budgetName())).isEqualTo(1);
        assertThat(count("sandbox_secret", "name", order().secretName())).isEqualTo(1);
        assertThat(count("api_key", "request_id", requestId)).isEqualTo(1);
        assertThat(count("provisioning_step", "request_id", requestId)).isEqualTo(ProvisioningStep.values().length);
    }

    @Test
    void aCrashAfterCreatingTheKeyLeavesNoSecondKeyOnReplay() {
        provisioner.run(ProvisioningStep.IAM_USER, order());
        provisioner.run(ProvisioningStep.POLICY, order());
        // The first attempt created the key in AWS, then crashed before its transaction committed.
        String lost = credentials.createServiceCredential(order().iamUser(), ServiceCredentials.BEDROCK_SERVICE, 30)
                .credential().credentialId();
        provisioner.run(ProvisioningStep.API_KEY, order());
        List<String> credentials = jdbc.queryForList("select id from sandbox_credential where user_name = ?",
                String.class, order().iamUser());
        assertThat(credentials).hasSize(1).doesNotContain(lost);
        assertThat(jdbc.queryForObject("select credential_id from api_key where request_id = ?", String.class,
                requestId)).isEqualTo(credentials.get(0));
    }

    @Test
    void aUserWithTwoKnownKeysGetsAClearBusinessErrorAndNoKeyIsDeleted() {
        provisioner.run(ProvisioningStep.IAM_USER, order());
        for (int i = 0; i < 2; i++) {
            var key = credentials.createServiceCredential(order().iamUser(), ServiceCredentials.BEDROCK_SERVICE, 30);
            jdbc.update("""
                    insert into api_key (request_id, business_unit_id, iam_user, credential_id, key_prefix, status,
                        created_at, expires_at, reveal_deadline)
                    select id, ?, ?, ?, 'ABSKxxxxxxxx', 'ACTIVE', now(), now(), now() from access_request
                    where id = ?""", unit.id(), order().iamUser(), key.credential().credentialId(),
                    earlierRequest());
        }
        assertThatThrownBy(() -> provisioner.run(ProvisioningStep.API_KEY, order()))
                .isInstanceOfSatisfying(CloudException.class, e -> {
                    assertThat(e.business()).isTrue();
                    assertThat(e.getMessage()).contains("already has two Bedrock API keys");
                });
        assertThat(count("sandbox_credential", "user_name", order().iamUser())).isEqualTo(2);
    }

    private long earlierRequest() {
        return jdbc.queryForObject("""
                insert into access_request (business_unit_id, requester, purpose, models, regions, source_cidrs,
                    lifetime_days, monthly_budget, alert_threshold, alert_emails, store_secret, owner_email,
                    data_classification, status, submission_key, created_at, updated_at)
                values (?, 'alice', 'earlier', 'amazon.nova-lite-v1:0', 'us-east-1', '', 30, 300, 80,
                    'alice@example.com', false, 'alice@example.com', 'INTERNAL', 'PROVISIONED', ?, now(), now())
                returning id""", Long.class, unit.id(), UUID.randomUUID().toString());
    }

    private int count(String table, String column, Object value) {
        return jdbc.queryForObject("select count(*) from " + table + " where " + column + " = ?", Integer.class, value);
    }
}
