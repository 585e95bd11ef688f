package com.bedrockportal.monitoring;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.monitoring.ui.UsagePanelFormat;
import com.bedrockportal.provisioning.Budgets;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * Alice opens her application's page and its "Usage and spend" card shows what the collection read from the simulated
 * account: when the key was last used, the calls of 14 days and this month's spend against the budget with the
 * forecast. She has no "Refresh now" (security and admins do).
 */
class UsageE2E extends E2ESupport {

    @Autowired
    UsageCollection collection;
    @Autowired
    SimulatedAccount account;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aliceSeesHerApplicationsUsageAndSpend() {
        BusinessUnit unit = Fixtures.unit(units, "usage", Set.of("mike"), Set.of("alice"));
        String slug = "chat-" + UUID.randomUUID().toString().substring(0, 6);
        long app = Fixtures.application(jdbc, unit, slug);
        String user = ApplicationNames.of(unit.slug(), slug).iamUser();
        account.createUser(user, "/bedrock-portal/", Map.of("business-unit", unit.slug(), "application", slug));
        account.putUserPolicy(user, "bedrock-access-portal", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["bedrock:InvokeModel"],
                 "Resource":["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"]}]}""");
        String key = account.createServiceCredential(user, ServiceCredentials.BEDROCK_SERVICE, 60).credential()
                .credentialId();
        // The application's key, as provisioning records it (else the drift check would find a key made outside
        // the portal, in every later test of this shared database).
        jdbc.update("""
                insert into api_key (request_id, business_unit_id, iam_user, credential_id, key_prefix, status,
                    created_at, expires_at, reveal_deadline, application_id)
                values (null, ?, ?, ?, 'ABSKusage000', 'ACTIVE', ?, ?, ?, ?)""", unit.id(), user, key,
                java.sql.Timestamp.from(Instant.now().minus(Duration.ofDays(1))),
                java.sql.Timestamp.from(Instant.now().plus(Duration.ofDays(30))),
                java.sql.Timestamp.from(Instant.now()), app);
        jdbc.update("update sandbox_key_usage set created_at = ? where credential_id = ?",
                java.sql.Timestamp.from(Instant.now().minus(Duration.ofDays(30))), key);
        account.createBudget(new Budgets.BudgetSpec(ApplicationNames.of(unit.slug(), slug).budgetName(),
                new BigDecimal("300"), unit.slug(), List.of(), slug));
        try {
            seeTheCard(app);
        } finally {
            // Nothing of this test stays in the shared account for later tests (the drift check would find a user
            // whose policy is not the portal's).
            account.deleteServiceCredential(user, key);
            account.deleteUserPolicy(user, "bedrock-access-portal");
            account.deleteUser(user);
            account.deleteBudget(ApplicationNames.of(unit.slug(), slug).budgetName());
            jdbc.update("update api_key set status = 'DELETED' where credential_id = ?", key);
            jdbc.update("update application set status = 'DECOMMISSIONED' where id = ?", app);
        }
    }

    private void seeTheCard(long app) {
        // The schedule may be running: wait for a run of our own.
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> collection.collect("e2e",
                "E2E-" + UUID.randomUUID()).ran());
        int calls = jdbc.queryForObject("select calls_in_window from usage_summary where application_id = ?",
                Integer.class, app);
        BigDecimal actual = jdbc.queryForObject("select actual_usd from spend_month where scope = 'APPLICATION' and "
                + "scope_id = ?", BigDecimal.class, app);
        BigDecimal forecast = jdbc.queryForObject("select forecast_usd from spend_month where scope = "
                + "'APPLICATION' and scope_id = ?", BigDecimal.class, app);

        loginAs("alice");
        page.navigate(BASE + "/applications/" + app);
        Locator card = page.locator("#usage-card");
        assertThat(card).containsText("Usage and spend");
        assertThat(page.locator("#usage-calls")).containsText(calls + " (");
        assertThat(page.locator("#usage-spend")).hasText(UsagePanelFormat.money(actual) + " of $300.00 (forecast "
                + UsagePanelFormat.money(forecast) + ")");
        assertThat(page.locator("#usage-last-used")).not().containsText("Not collected");
        assertThat(page.locator("#usage-refresh")).hasCount(0);
        card.scrollIntoViewIfNeeded();
        card.screenshot(new Locator.ScreenshotOptions().setPath(Path.of("target/screenshots", "usage-card.png")));
        page.setViewportSize(390, 844);
        card.screenshot(new Locator.ScreenshotOptions().setPath(Path.of("target/screenshots",
                "usage-card-phone.png")));
        page.setViewportSize(1366, 900);
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots", "usage-application.png"))
                .setFullPage(true));
        org.assertj.core.api.Assertions.assertThat(calls).isPositive();
    }
}
