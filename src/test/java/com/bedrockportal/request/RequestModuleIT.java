package com.bedrockportal.request;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.ModuleTestSupport;
import com.bedrockportal.testsupport.RunAs;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request module with every module it depends on and the simulated account behind their cloud ports, without the
 * workflow that listens: what it tells the others when a request is submitted or withdrawn.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, extraIncludes = "sandbox")
class RequestModuleIT extends ModuleTestSupport {

    @Autowired
    RequestService requests;
    @Autowired
    BusinessUnitService units;

    @Test
    void aSubmissionTellsWhoSubmittedWhichRequestForWhichUnit(Scenario scenario) {
        BusinessUnit unit = Fixtures.unit(units, "rm");
        RequestDraft draft = Fixtures.request(unit.id());

        scenario.stimulate(() -> RunAs.user("alice", () -> requests.submit(draft), "REQUESTER"))
                .andWaitForEventOfType(RequestEvents.Submitted.class)
                .matching(event -> event.businessUnitId() == unit.id())
                .toArriveAndVerify((event, request) -> {
                    assertThat(event.requestId()).isEqualTo(request.id());
                    assertThat(event.requester()).isEqualTo("alice");
                });
    }

    @Test
    void aWithdrawalTellsWhichRequestWasWithdrawn(Scenario scenario) {
        BusinessUnit unit = Fixtures.unit(units, "rw");
        AccessRequest submitted = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");

        scenario.stimulate(() -> RunAs.user("alice", () -> requests.withdraw(submitted.id()), "REQUESTER"))
                .andWaitForEventOfType(RequestEvents.Withdrawn.class)
                .matching(event -> event.requestId() == submitted.id())
                .toArriveAndVerify(event -> assertThat(event.requester()).isEqualTo("alice"));
    }
}
