package com.bedrockportal.alerts;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

/**
 * Two nodes evaluate the same condition at one moment. Node B has read that no alert of it is open, and none closed
 * lately, when node A raises the alert and security dismisses it. B's insert then finds the fingerprint free: B keeps
 * the condition quiet, as it would had it read a moment later, instead of raising it again seconds after the
 * dismissal (as it did until 6 December). Node A is an evaluation run where B's is paused, just after its read of the
 * closed alerts.
 */
class AlertRaceIT extends PostgresSupport {

    @MockitoSpyBean
    AlertRepository repository;
    @Autowired
    Alerts alerts;
    @Autowired
    SimulatedAccount aws;
    @Autowired
    ApiKeys keys;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anAlertDismissedWhileAnotherNodeRaisesItStaysQuiet() {
        BusinessUnit unit = Fixtures.unit(units, "ar", Set.of("mike"), Set.of("alice"));
        long app = Fixtures.application(jdbc, unit, "main");
        ApiKey key = AlertFixtures.activeKey(jdbc, aws, keys, unit, app);
        AlertFixtures.deniedCalls(jdbc, app, key, 12, Duration.ofHours(1));
        AtomicBoolean paused = new AtomicBoolean();
        AtomicLong dismissed = new AtomicLong();
        doAnswer(call -> {
            Object read = call.callRealMethod(); // node B's read: nothing of it closed lately
            if (paused.compareAndSet(false, true)) {
                alerts.evaluate(); // node A raises it ...
                long id = burstsOf(app).get(0).id();
                RunAs.user("sara", () -> alerts.dismiss(id, "the partner team's load test"), "SECURITY");
                dismissed.set(id); // ... and sara dismisses it
            }
            return read;
        }).when(repository).closedSince(any(), any());

        alerts.evaluate(); // node B goes on

        assertThat(dismissed).as("node A raised it, sara dismissed it").hasPositiveValue();
        assertThat(burstsOf(app)).as("not raised again").singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(dismissed.get());
            assertThat(a.status()).isEqualTo(Alert.Status.DISMISSED);
        });
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'sara' and link like "
                + "'alerts/%' and link in (select 'alerts/' || id from alert where application_id = ?)", Integer.class,
                app)).as("security told once").isEqualTo(1);
    }

    private List<Alert> burstsOf(long app) {
        List<Long> ids = jdbc.queryForList("select id from alert where application_id = ? and rule = 'DENIED_BURST' "
                + "order by id", Long.class, app);
        return ids.stream().map(id -> repository.find(id).orElseThrow()).toList();
    }

}
