package com.bedrockportal.identity;

import com.bedrockportal.testsupport.ModuleTestSupport;
import com.bedrockportal.testsupport.RunAs;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identity module with what it depends on, without the audit module that records its events: what it tells the
 * others when a signed-in user is refused a view.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES)
class IdentityModuleIT extends ModuleTestSupport {

    @Autowired
    AccessDeniedRecorder recorder;

    @Test
    void aRefusedViewTellsWhoWasRefusedWhere(Scenario scenario) {
        scenario.stimulate(() -> RunAs.user("bob", () -> recorder.viewDenied("admin/business-units"), "REQUESTER"))
                .andWaitForEventOfType(SecurityEvents.AccessDenied.class)
                .matching(event -> event.username().equals("bob"))
                .toArriveAndVerify(event -> assertThat(event.target()).isEqualTo("view admin/business-units"));
    }

    @Test
    void aRefusalWithoutALoginIsToldAsAnonymous(Scenario scenario) {
        scenario.stimulate(() -> recorder.viewDenied("keys"))
                .andWaitForEventOfType(SecurityEvents.AccessDenied.class)
                .matching(event -> event.target().equals("view keys"))
                .toArriveAndVerify(event -> assertThat(event.username()).isEqualTo("anonymous"));
    }
}
