package com.bedrockportal.provisioning;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.ModuleTestSupport;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.Scenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provisioning module with every module it depends on, the simulated account behind its ports and the catalog
 * the test's order is made from, without the workflow and the request page: what it tells them when a step
 * committed.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, extraIncludes = { "sandbox", "catalog" })
class ProvisioningModuleIT extends ModuleTestSupport {

    @Autowired
    Provisioner provisioner;
    @Autowired
    BusinessUnitService units;
    @Autowired
    ModelCatalog catalog;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aCommittedStepTellsWhichRequestMovedOn(Scenario scenario) {
        BusinessUnit unit = Fixtures.unit(units, "pm");
        long requestId = ApprovedOrders.approvedRequest(jdbc, unit);

        scenario.stimulate(() -> provisioner.run(ProvisioningStep.IAM_USER, ApprovedOrders.order(jdbc, requestId, unit,
                catalog)))
                .andWaitForEventOfType(ProvisioningEvents.Progressed.class)
                .matching(event -> event.requestId() == requestId)
                .toArriveAndVerify(event -> assertThat(provisioner.done(requestId))
                        .containsExactly(ProvisioningStep.IAM_USER));
    }
}
