package com.bedrockportal.benchmark;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.drift.DriftService;
import com.bedrockportal.provisioning.Budgets;
import com.bedrockportal.provisioning.PolicyBuilder;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * How long one drift check takes for N applications on PostgreSQL with the simulated account: each with its
 * IAM user, policy, budget, secret and one key outside the portal (plus whatever other tests left in the database).
 * Prints numbers and AWS calls per check; asserts
 * nothing about time. Not part of {@code mvn verify}; run it with
 * {@code mvn test -Dtest=DriftBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@TestPropertySource(properties = "portal.drift.enabled=false")
class DriftBenchmark extends PostgresSupport {

    @Autowired
    DriftService drift;
    @Autowired
    SimulatedAccount account;
    @Autowired
    BusinessUnitService units;
    @Autowired
    ModelCatalog catalog;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void oneCheckForNApplications() {
        String policy = PolicyBuilder.build(new PolicyBuilder.PolicyInput(catalog.find(List.of(
                "amazon.nova-lite-v1:0")), List.of("us-east-1"), List.of(), "123456789012"));
        int made = 0;
        for (int n : new int[] { 50, 200, 500 }) {
            BusinessUnit unit = Fixtures.unit(units, "bm" + n);
            for (; made < n; made++) {
                String slug = "app" + made;
                Fixtures.application(jdbc, unit, slug);
                var names = ApplicationNames.of(unit.slug(), slug);
                account.createUser(names.iamUser(), "/bedrock-portal/", Map.of());
                account.putUserPolicy(names.iamUser(), "bedrock-access-portal", policy);
                account.createBudget(new Budgets.BudgetSpec(names.budgetName(), BigDecimal.TEN, unit.slug(),
                        List.of()));
                account.createSecret(names.secretName(), "x".toCharArray(), Map.of(), "benchmark");
                java.util.Arrays.fill(account.createServiceCredential(names.iamUser(),
                        ServiceCredentials.BEDROCK_SERVICE, 30).secret(), '\0');
            }
            for (int run = 0; run < 3; run++) {
                long calls = account.calls();
                DriftService.Outcome o = RunAs.user("sara", () -> drift.checkNow(), "SECURITY");
                System.out.printf("drift check: %d applications, %d users listed, %d new, %d open, %d ms, %d AWS "
                        + "calls%n", n, o.usersChecked(), o.newFindings(), o.openFindings(), o.took().toMillis(),
                        account.calls() - calls);
            }
        }
    }
}
