package com.bedrockportal.aws;

import com.bedrockportal.testsupport.E2ESupport;

import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

class AwsConnectionE2E extends E2ESupport {

    @Test
    void adminSeesTheSimulatedAccountAndThatEveryPermissionIsThere() {
        loginAs("adam");
        page.navigate(BASE + "/admin/aws");
        assertThat(page.locator("#aws-connection")).containsText("Sandbox");
        assertThat(page.locator("#aws-identity")).containsText("arn:aws:iam::123456789012:user/bedrock-portal-sandbox");
        assertThat(page.locator("#aws-permissions-summary")).containsText("All "
                + com.bedrockportal.provisioning.PortalPermissions.REQUIRED.size() + " actions are allowed");
        assertThat(page.locator("#aws-permissions [data-allowed=true]")).hasCount(
                com.bedrockportal.provisioning.PortalPermissions.REQUIRED.size());
        screenshot("aws-connection-adam");
    }

    @Test
    void onlyAdminsOpenIt() {
        loginAs("sara");
        page.navigate(BASE + "/admin/aws");
        assertThat(page.locator("#access-denied")).isVisible();
    }
}
