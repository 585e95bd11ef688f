package com.bedrockportal.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.lifecycle.CompromiseCase;
import com.bedrockportal.lifecycle.Compromises;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Seconds from a compromise report to AWS confirming the key Inactive, with the simulated account, PostgreSQL and the
 * job executor as configured (the disable step is the process's first job): 20 keys reported one after the other,
 * prints each and the median. Asserts nothing about time. Not part of {@code mvn verify}; run it with
 * {@code mvn test -Dtest=CompromiseBenchmark -Dsurefire.failIfNoSpecifiedTests=false} (plus {@code -Dtest.pg.db=...}).
 */
@TestPropertySource(properties = "portal.drift.enabled=false")
class CompromiseBenchmark extends PostgresSupport {

    static final int RUNS = 20;

    @Autowired
    Compromises compromises;
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

    @Test
    void secondsFromReportToInactive() {
        BusinessUnit unit = Fixtures.unit(units, "cb");
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            ApiKey key = liveKey(unit, "app" + i);
            long caseId = RunAs.user("sara", () -> compromises.report(key.id(), "benchmark"), "SECURITY").id();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> compromises.load(caseId).disabledAt() != null);
            CompromiseCase c = compromises.load(caseId);
            double s = c.timeToInactive().toMillis() / 1000.0;
            seconds.add(s);
            System.out.printf("compromise report → Inactive: case %d, %.3f s%n", caseId, s);
        }
        List<Double> sorted = seconds.stream().sorted().toList();
        double median = (sorted.get(RUNS / 2 - 1) + sorted.get(RUNS / 2)) / 2;
        System.out.printf("compromise report → Inactive (sandbox, %d runs): median %.3f s, min %.3f s, max %.3f s%n",
                RUNS, median, sorted.get(0), sorted.get(RUNS - 1));
    }

    private ApiKey liveKey(BusinessUnit unit, String slug) {
        long application = Fixtures.application(jdbc, unit, slug);
        String user = ApplicationNames.iamUser(unit.slug(), slug);
        users.createUser(user, "/bedrock-portal/", Map.of());
        long requestId = jdbc.queryForObject("""
                insert into access_request (business_unit_id, requester, purpose, models, regions, source_cidrs,
                    lifetime_days, monthly_budget, alert_threshold, alert_emails, store_secret, owner_email,
                    data_classification, status, submission_key, created_at, updated_at)
                values (?, 'alice', 'benchmark', 'amazon.nova-lite-v1:0', 'us-east-1', '', 30, 100, 80,
                    'alice@example.com', false, 'alice@example.com', 'INTERNAL', 'PROVISIONED', ?, now(), now())
                returning id""", Long.class, unit.id(), UUID.randomUUID().toString());
        ServiceCredentials.NewServiceCredential created = credentials.createServiceCredential(user,
                ServiceCredentials.BEDROCK_SERVICE, 30);
        ApiKey key = keys.store(requestId, "alice", unit.id(), application, user, created.credential().credentialId(),
                created.credential().createdAt(), created.credential().expiresAt(), created.secret(),
                Duration.ofDays(3), "us-east-1", "amazon.nova-lite-v1:0");
        java.util.Arrays.fill(created.secret(), '\0');
        return key;
    }
}
