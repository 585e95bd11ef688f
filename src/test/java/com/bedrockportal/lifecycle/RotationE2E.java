package com.bedrockportal.lifecycle;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.EarlierRelease;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.microsoft.playwright.Locator;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotation in the browser: alice rotates her application's key, reveals the new key once after logging in again,
 * and when the overlap ends (its timer run by its job) the old key is disabled, then deleted (its timer too).
 */
class RotationE2E extends E2ESupport {

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
    ManagementService management;
    @Autowired
    RuntimeService runtime;
    @Autowired
    SimulatedAccount account;
    @Autowired
    Rotations rotations;
    @Autowired
    PlatformTransactionManager transactions;

    private void fireTimer(long rotation, String activity) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> timer(rotation, activity) != null);
        management.executeJob(timer(rotation, activity).getId());
    }

    private Job timer(long rotation, String activity) {
        var instance = runtime.createProcessInstanceQuery().processDefinitionKey("bedrock-key-rotation")
                .processInstanceBusinessKey(Long.toString(rotation)).singleResult();
        return instance == null ? null : management.createJobQuery().processInstanceId(instance.getId()).timers()
                .activityId(activity).singleResult();
    }

    /** alice's working key, issued in a new unit of hers, and its application. */
    private record AlicesKey(LiveKeys live, BusinessUnit unit, ApiKey old, long app) {
    }

    private AlicesKey alicesKey(String unitName) {
        LiveKeys live = new LiveKeys(jdbc, keys, users, credentials);
        BusinessUnit unit = Fixtures.unit(units, unitName, Set.of("mike"), Set.of("alice"));
        ApiKey old = live.issue(unit, "alice", true);
        return new AlicesKey(live, unit, old, jdbc.queryForObject("select application_id from api_key where id = ?",
                Long.class, old.id()));
    }

    @Test
    void aliceRotatesRevealsTheNewKeyAndTheOldOneIsDisabledAfterTheOverlap() {
        AlicesKey given = alicesKey("re");
        LiveKeys live = given.live();
        ApiKey old = given.old();
        long app = given.app();

        loginAs("alice");
        page.navigate(BASE + "/applications/" + app);
        assertThat(page.locator("#rotation-status")).hasAttribute("data-status", "NONE");
        page.locator("#rotation-start").click();
        page.locator("#rotation-dialog-confirm").click();
        assertThat(page.locator("#rotation-reason")).containsText("Give a reason.");
        correct(page.locator("#rotation-reason"), "Quarterly rotation of the campaign key.");
        screenshot("rotation-dialog");
        page.locator("#rotation-dialog-confirm").click();

        // The card follows the process: the new key is created and waits for alice's reveal.
        assertThat(page.locator("#rotation-status")).hasAttribute("data-status", "KEY_CREATED");
        long rotation = jdbc.queryForObject("select id from key_rotation where application_id = ?", Long.class, app);
        ApiKey fresh = keys.forRotation(rotation).orElseThrow();
        assertThat(page.locator("#rotation-status")).containsText(fresh.prefix());
        assertThat(page.locator("#rotation-timeline")).containsText("new key " + fresh.prefix());
        assertThat(page.locator("#rotation-timeline")).containsText("alice · MANUAL rotation");
        assertThat(page.locator("#rotation-start")).hasCount(0);
        assertThat(visibleCells("application-keys", "pending reveal")).hasCount(1);
        screenshot("rotation-waiting-for-reveal");

        page.locator("#rotation-reveal").click();
        assertThat(page.locator("#username")).isVisible();
        page.locator("#username").fill("alice");
        page.locator("#password").fill("alice-demo");
        page.locator("button[type=submit]").click();
        assertThat(page.locator("#revealed-key")).hasText(Pattern.compile("^ABSK[A-Za-z0-9+/=]{40,}$"));
        assertThat(page.locator("#revealed-key")).containsText(fresh.prefix());
        page.reload();
        assertThat(page.locator("#already-revealed")).containsText("by alice");

        page.navigate(BASE + "/applications/" + app);
        assertThat(page.locator("#rotation-status")).hasAttribute("data-status", "OVERLAP");
        assertThat(page.locator("#rotation-confirm-switch")).isVisible();
        assertThat(visibleCells("application-keys", "active")).hasCount(2);
        screenshot("rotation-overlap");
        page.locator("#rotation-card").screenshot(new com.microsoft.playwright.Locator.ScreenshotOptions()
                .setPath(java.nio.file.Paths.get("target/screenshots/rotation-card-overlap.png")));

        // The overlap ends without a confirmation: its timer (run now by its job) cuts over.
        jdbc.update("update key_rotation set overlap_ends_at = ? where id = ?",
                Timestamp.from(Instant.now().minusSeconds(1)), rotation);
        fireTimer(rotation, "Event_NextCheck");
        assertThat(page.locator("#rotation-status")).hasAttribute("data-status", "CUT_OVER");
        assertThat(page.locator("#rotation-status")).containsText("overlap");
        assertThat(visibleCells("application-keys", "inactive")).hasCount(1);
        assertThat(live.inAws(old)).isEqualTo("Inactive");
        assertThat(live.inAws(keys.find(fresh.id()).orElseThrow())).isEqualTo("Active");

        fireTimer(rotation, "Event_DeleteAfter");
        assertThat(page.locator("#rotation-status")).hasAttribute("data-status", "NONE");
        assertThat(page.locator("#rotation-history")).containsText("completed");
        assertThat(page.locator("#rotation-timeline")).containsText("old key " + old.prefix() + "… deleted");
        assertThat(visibleCells("application-keys", "deleted")).hasCount(1);
        assertThat(page.locator("#rotation-start")).isVisible();
        screenshot("rotation-completed");
        page.locator("#rotation-card").screenshot(new com.microsoft.playwright.Locator.ScreenshotOptions()
                .setPath(java.nio.file.Paths.get("target/screenshots/rotation-card-completed.png")));
        assertThat(live.inAws(old)).isNull();
        assertThat(credentials.listServiceCredentials(old.iamUser(), ServiceCredentials.BEDROCK_SERVICE)).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and title like "
                + "'%rotation%complete%'", Integer.class)).isEqualTo(1);
    }

    /**
     * alice's systems read the key from Secrets Manager: she has new keys go straight there, and her rotation then
     * reaches the overlap with nobody revealing anything; the secret serves the new key, the reveal page says where
     * it went.
     */
    @Test
    void aliceSendsNewKeysStraightToSecretsManagerAndHerRotationNeedsNoReveal() {
        AlicesKey given = alicesKey("rs");
        long app = given.app();
        String secret = given.unit().slug() + "/main/bedrock/api-key";
        jdbc.update("update application set store_secret = true, secret_name = ? where id = ?", secret, app);
        account.createSecret(secret, "ABSK-the-copy-before-the-rotation".toCharArray(), Map.of(), "test");

        loginAs("alice");
        page.navigate(BASE + "/applications/" + app);
        page.locator("#application-rotation-change").click();
        page.locator("#rotation-delivery").click();
        page.locator("vaadin-select-item").filter(new Locator.FilterOptions()
                .setHasText("Straight into Secrets Manager: nobody reveals them")).click();
        screenshot("rotation-delivery-dialog");
        page.locator("#rotation-confirm").click();
        assertThat(page.locator("#rotation-dialog")).hasCount(0);
        assertThat(page.locator("#application-rotation")).containsText("new keys go straight into Secrets Manager");
        assertThat(page.locator("#rotation-status")).containsText("straight into the application's Secrets Manager");

        page.locator("#rotation-start").click();
        assertThat(page.getByText("put straight into its Secrets Manager copy, where systems that read the secret "
                + "get it; nobody reveals it")).isVisible();
        page.locator("#rotation-reason textarea").fill("Monthly rotation; the service reads the secret.");
        page.locator("#rotation-dialog-confirm").click();

        assertThat(page.locator("#rotation-status")).hasAttribute("data-status", "OVERLAP");
        long rotation = jdbc.queryForObject("select id from key_rotation where application_id = ?", Long.class, app);
        ApiKey fresh = keys.forRotation(rotation).orElseThrow();
        assertThat(page.locator("#rotation-status")).containsText("the new key " + fresh.prefix()
                + "… is what the Secrets Manager copy serves now");
        assertThat(page.locator("#rotation-reveal")).hasCount(0);
        assertThat(page.locator("#rotation-timeline")).containsText("handed over in Secrets Manager");
        assertThat(visibleCells("application-keys", "active")).hasCount(2);
        page.locator("#rotation-card").screenshot(new com.microsoft.playwright.Locator.ScreenshotOptions()
                .setPath(java.nio.file.Paths.get("target/screenshots/rotation-card-delivered-overlap.png")));
        assertThat(given.live().copyServes(secret, fresh)).as("readers of the secret get the new key").isTrue();

        page.navigate(BASE + "/keys/reveal/key/" + fresh.id());
        assertThat(page.locator("#already-revealed"))
                .containsText("went straight into the application's Secrets Manager copy");
        assertThat(page.locator("#revealed-key")).hasCount(0);

        // alice confirms the switch on a page that has not seen that sara confirmed it meanwhile. sara's confirmation
        // holds the rotation's row until alice's click waits for it, then commits: the click is refused whatever the
        // page's poll does. Disabling the old key is held back, so that nothing else changes the page meanwhile.
        page.navigate(BASE + "/applications/" + app);
        assertThat(page.locator("#rotation-confirm-switch")).isVisible();
        String definition = runtime.createProcessInstanceQuery().processDefinitionKey("bedrock-key-rotation")
                .processInstanceBusinessKey(Long.toString(rotation)).singleResult().getProcessDefinitionId();
        EarlierRelease.holdBack(management, definition, "ServiceTask_DisableOldKey");
        try {
            new TransactionTemplate(transactions).executeWithoutResult(status -> {
                RunAs.user("sara", () -> rotations.confirmSwitched(rotation), "SECURITY");
                page.locator("#rotation-confirm-switch").click();
                // (H2, the browser tests' database, names the session a waiting one waits for; its lock timeout is
                // 10 s.)
                Awaitility.await("alice's confirmation waits for sara's").atMost(Duration.ofSeconds(8)).until(() ->
                        jdbc.queryForObject("select count(*) from information_schema.sessions where blocker_id is not "
                                + "null", Integer.class) == 1);
            });
            assertThat(page.locator("#rotation-switch-error"))
                    .hasText("The rotation is not waiting for the switch any more; nothing changed.");
            assertShownAsError(page.locator("#rotation-switch-error"));
            assertThat(page.locator("#rotation-confirm-switch")).hasCount(0);
            assertThat(page.locator("#rotation-status")).containsText("Switch confirmed");
            page.locator("#rotation-card").screenshot(new com.microsoft.playwright.Locator.ScreenshotOptions()
                    .setPath(java.nio.file.Paths.get("target/screenshots/rotation-card-switch-refused.png")));
        } finally {
            EarlierRelease.letGo(management, definition, "ServiceTask_DisableOldKey");
        }
    }
}
