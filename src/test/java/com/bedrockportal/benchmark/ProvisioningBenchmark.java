package com.bedrockportal.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestDraft;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Time from the final approval to PROVISIONED in the embedded default (H2, simulated account), and AWS calls per
 * provisioning. Prints numbers; asserts nothing about time. Not part of {@code mvn verify}; run it with
 * {@code mvn test -Dtest=ProvisioningBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK, properties = {
        "spring.datasource.url=jdbc:h2:mem:benchmark;DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE",
        "portal.identity.embedded-idp.port=0", "portal.mail.poll-interval=PT10M" })
class ProvisioningBenchmark {

    static final int RUNS = 20;

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    SimulatedAccount account;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void approvalToProvisioned() throws InterruptedException {
        List<Long> millis = new ArrayList<>();
        List<Long> calls = new ArrayList<>();
        for (int i = 0; i < RUNS + 2; i++) {
            BusinessUnit unit = unit();
            AccessRequest r = RunAs.user("alice", () -> requests.submit(draft(unit)), "REQUESTER");
            RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
            long callsBefore = account.calls();
            RunAs.user("sara", () -> approvals.decide(r.id(), true, null), "SECURITY");
            long start = System.nanoTime();
            long deadline = start + Duration.ofSeconds(60).toNanos();
            while (!"PROVISIONED".equals(status(r)) && System.nanoTime() < deadline) {
                Thread.sleep(2); // a benchmark's sampling interval, not test synchronisation
            }
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            if (i >= 2) { // the first two warm up the JIT and the job executor
                millis.add(elapsed);
                calls.add(account.calls() - callsBefore);
            }
        }
        Collections.sort(millis);
        System.out.printf("%nProvisioning benchmark (%d runs, embedded default: H2 + simulated account)%n", RUNS);
        System.out.printf("  final approval -> PROVISIONED: median %d ms, p90 %d ms, min %d ms, max %d ms%n",
                millis.get(RUNS / 2), millis.get((int) (RUNS * 0.9) - 1), millis.get(0), millis.get(RUNS - 1));
        System.out.printf("  AWS calls per provisioning: %s%n%n", calls.stream().distinct().toList());
    }

    private String status(AccessRequest r) {
        return jdbc.queryForObject("select status from access_request where id = ?", String.class, r.id());
    }

    private BusinessUnit unit() {
        return Fixtures.unit(units, "bench");
    }

    private static RequestDraft draft(BusinessUnit unit) {
        RequestDraft d = Fixtures.request(unit.id());
        d.setStoreSecret(true);
        return d;
    }
}
