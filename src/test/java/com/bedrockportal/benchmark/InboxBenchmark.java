package com.bedrockportal.benchmark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.workflow.ApprovalService;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The approvals inbox and the home page's "waiting for you" counts of the security team with a backlog of pending
 * security reviews ({@code -Dbench.backlog}, 300 by default): the server time (median of 10) and the statements
 * PostgreSQL executed per call, where {@code pg_stat_statements} is loaded. Asserts nothing about time. Not part of
 * {@code mvn verify}: {@code mvn test -Dtest=InboxBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class InboxBenchmark extends PostgresSupport {

    @Autowired
    RequestService requests;
    @Autowired
    ApprovalService approvals;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void securityInboxAndHomeCountsWithABacklog() {
        int backlog = Integer.getInteger("bench.backlog", 300);
        BusinessUnit unit = Fixtures.unit(units, "inbox", Set.of("mike"), Set.of("alice"));
        for (int i = 0; i < backlog; i++) {
            AccessRequest r = RunAs.user("alice", () -> requests.submit(Fixtures.request(unit.id())), "REQUESTER");
            RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
        }
        int pending = RunAs.user("sara", () -> approvals.waiting(), "SECURITY").stream()
                .mapToInt(ApprovalService.Waiting::count).sum();
        System.out.printf("INBOX: %d security reviews waiting for sara%n", pending);
        measure("home counts (waiting)", () -> RunAs.user("sara", () -> approvals.waiting(), "SECURITY"));
        measure("inbox (oldest " + ApprovalService.MAX_LISTED + ")", () -> RunAs.user("sara", () -> approvals.inbox(),
                "SECURITY"));
    }

    private void measure(String what, Supplier<Object> call) {
        call.get();
        boolean counted = resetStatements();
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long t = System.nanoTime();
            call.get();
            ms.add((System.nanoTime() - t) / 1e6);
        }
        Collections.sort(ms);
        String statements = counted ? String.format("%.0f statements per call", statementCalls() / 10.0)
                : "statements not counted (pg_stat_statements not loaded)";
        System.out.printf("INBOX: %s: median %.1f ms (min %.1f, max %.1f), %s%n", what, ms.get(5), ms.get(0),
                ms.get(9), statements);
    }

    private boolean resetStatements() {
        try {
            jdbc.execute("create extension if not exists pg_stat_statements");
            jdbc.queryForList("select pg_stat_statements_reset(0, (select oid from pg_database where datname = "
                    + "current_database()), 0)");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private long statementCalls() {
        Long calls = jdbc.queryForObject("select sum(calls) from pg_stat_statements where dbid = (select oid from "
                + "pg_database where datname = current_database()) and query not like '%pg_stat_statements%'",
                Long.class);
        return calls == null ? 0 : calls;
    }
}
