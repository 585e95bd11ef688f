package com.bedrockportal.request;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/** What a requester reads about her request: model names instead of ids, durations in words instead of ISO-8601. */
class RequestWordingE2E extends E2ESupport {

    private static final String HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0";

    @Autowired
    RequestService requests;
    @Autowired
    BusinessUnitService units;
    @Autowired
    ManagementService management;
    @Autowired
    RuntimeService runtime;

    @Test
    void aRequestNobodyDecidedOnExpiresInWordsAndShowsItsModelByName() {
        RequestDraft d = new RequestDraft();
        d.setBusinessUnitId(Fixtures.unit(units, "rw").id());
        d.setApplicationName("Release notes");
        d.setApplicationSlug("release-notes");
        d.setPurpose("Wording check: drafts release notes from merged pull requests.");
        d.setModels(List.of(HAIKU));
        d.setRegions(List.of("us-west-2"));
        d.setLifetimeDays(7);
        d.setMonthlyBudget(new BigDecimal("40"));
        d.setAlertThreshold(80);
        d.setAlertEmails("alice@example.com");
        d.setOwnerEmail("alice@example.com");
        d.setDataClassification(DataClassification.INTERNAL);
        long id = RunAs.user("alice", () -> requests.submit(d), "REQUESTER").id();
        // The approval timers (P2D, P7D by default) fire now instead of in days.
        fireTimer(id, "BoundaryEvent_ManagerReminder");
        fireTimer(id, "BoundaryEvent_ManagerExpired");

        loginAs("alice");
        page.setViewportSize(1366, 900);
        page.navigate(BASE + "/requests/" + id);
        assertThat(page.locator("#request-status")).hasText("Expired");
        assertThat(page.locator("#request-timeline [data-event=EXPIRED]")).containsText("No decision within 7 days");
        assertThat(page.locator("#request-timeline [data-event=REMINDER_SENT]"))
                .containsText("No manager decision after 2 days");
        assertThat(page.locator("#request-timeline")).not().containsText("P7D");
        assertThat(page.locator("#request-models")).hasText(java.util.regex.Pattern.compile(".*Claude Haiku 4\\.5.*"));
        assertThat(page.locator("#request-models")).not().containsText(HAIKU);
        // The id stays for engineers, behind a fold, with a copy button that has a name.
        page.locator("#request-model-ids").click();
        assertThat(page.locator("#request-model-ids [data-model-id] vaadin-button"))
                .hasAttribute("aria-label", "Copy model id " + HAIKU);
        screenshot("request-expired-wording");
        page.setViewportSize(390, 844);
        screenshot("request-expired-wording-390");
        page.setViewportSize(1366, 900);

        page.locator("#notification-bell").click();
        assertThat(page.locator("#notification-list")).containsText("Nobody decided on your request within 7 days");

        page.navigate(BASE + "/requests");
        assertThat(page.locator("#my-requests-grid")).containsText("Claude Haiku 4.5");
        assertThat(page.locator("#my-requests-grid")).not().containsText("us.anthropic.claude-haiku");
        screenshot("my-requests-wording");
    }

    private void fireTimer(long requestId, String activity) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> timer(requestId, activity) != null);
        management.executeJob(timer(requestId, activity).getId());
    }

    private Job timer(long requestId, String activity) {
        var instance = runtime.createProcessInstanceQuery().processDefinitionKey("bedrock-access-request")
                .processInstanceBusinessKey(Long.toString(requestId)).singleResult();
        return instance == null ? null : management.createJobQuery().processInstanceId(instance.getId()).timers()
                .activityId(activity).singleResult();
    }
}
