package com.bedrockportal.key;

import com.bedrockportal.businessunit.BusinessUnitService;
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
 * The key module with every module it depends on, without the workflow that waits for the reveal: what it tells the
 * others when a key was revealed (the request's id only; never the key).
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES)
class KeyModuleIT extends ModuleTestSupport {

    @Autowired
    KeyReveal reveal;
    @Autowired
    ApiKeys keys;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aRevealTellsWhichRequestsKeyWasShown(Scenario scenario) {
        StoredKeys stored = StoredKeys.provision(jdbc, keys, Fixtures.unit(units, "km"));

        scenario.stimulate(() -> stored.revealAs(reveal, "alice", true))
                .andWaitForEventOfType(KeyEvents.Revealed.class)
                .matching(event -> event.requestId() == stored.requestId())
                .toArriveAndVerify((event, result) -> {
                    assertThat(result).isInstanceOf(KeyReveal.Revealed.class);
                    assertThat(event.toString()).doesNotContain(stored.key().substring(4, 16));
                });
    }
}
