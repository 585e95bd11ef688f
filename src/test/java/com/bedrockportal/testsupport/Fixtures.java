package com.bedrockportal.testsupport;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitDraft;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.DataClassification;
import com.bedrockportal.request.RequestDraft;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.workflow.ApprovalService;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Test data. Each test gets units of its own: AWS allows two keys per IAM user, and a unit's user outlives a test.
 */
public final class Fixtures {

    private Fixtures() {
    }

    /** A new unit (unique slug {@code prefix-xxxxxxxx}), created by adam. */
    public static BusinessUnit unit(BusinessUnitService units, String prefix, Set<String> managers,
            Set<String> members) {
        BusinessUnitDraft d = new BusinessUnitDraft();
        d.setSlug(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
        d.setDisplayName(prefix + " " + d.getSlug());
        d.setCostCenter("CC-" + prefix.toUpperCase());
        d.setOwnerEmail("owner@example.com");
        d.setDefaultMonthlyBudget(new BigDecimal("500"));
        d.setManagers(managers);
        d.setMembers(members);
        return RunAs.user("adam", () -> units.create(d), "ADMIN");
    }

    /** A unit managed by mike with alice as member. */
    public static BusinessUnit unit(BusinessUnitService units, String prefix) {
        return unit(units, prefix, Set.of("mike"), Set.of("alice"));
    }

    /** A complete, valid request for Nova Lite in us-east-1, for a new application of its own. */
    public static RequestDraft request(long businessUnitId) {
        RequestDraft d = new RequestDraft();
        d.setBusinessUnitId(businessUnitId);
        String app = "app-" + UUID.randomUUID().toString().substring(0, 8);
        d.setApplicationSlug(app);
        d.setApplicationName("Application " + app);
        d.setPurpose("Summarise support tickets for the weekly review meeting.");
        d.setModels(List.of("amazon.nova-lite-v1:0"));
        d.setRegions(List.of("us-east-1"));
        d.setLifetimeDays(14);
        d.setMonthlyBudget(new BigDecimal("200"));
        d.setAlertThreshold(80);
        d.setAlertEmails("alice@example.com");
        d.setOwnerEmail("alice@example.com");
        d.setDataClassification(DataClassification.INTERNAL);
        return d;
    }

    /** A {@link #request} for the unit submitted by alice and approved by mike, then sara: provisioning starts. */
    public static AccessRequest submitAndApprove(RequestService requests, ApprovalService approvals,
            long businessUnitId) {
        return submitAndApprove(requests, approvals, request(businessUnitId));
    }

    /** {@code draft} submitted by alice and approved by mike, then sara: provisioning starts. */
    public static AccessRequest submitAndApprove(RequestService requests, ApprovalService approvals,
            RequestDraft draft) {
        AccessRequest r = RunAs.user("alice", () -> requests.submit(draft), "REQUESTER");
        RunAs.user("mike", () -> approvals.decide(r.id(), true, null), "MANAGER");
        RunAs.user("sara", () -> approvals.decide(r.id(), true, null), "SECURITY");
        return r;
    }

    /**
     * An application row of the unit for Nova Lite in us-east-1, named like provisioning names new ones, made without
     * a request (for tests of what comes after provisioning).
     */
    public static long application(JdbcTemplate jdbc, BusinessUnit unit, String slug) {
        Application.AwsNames names = ApplicationNames.of(unit.slug(), slug);
        jdbc.update("""
                insert into application (business_unit_id, slug, display_name, owner, owner_email, purpose,
                    data_classification, models, regions, source_cidrs, lifetime_days, monthly_budget,
                    alert_threshold, alert_emails, store_secret, iam_user, budget_name, secret_name, status,
                    created_at, updated_at)
                values (?, ?, ?, 'alice', 'alice@example.com', 'test application', 'INTERNAL',
                    'amazon.nova-lite-v1:0', 'us-east-1', '', 30, 300, 80, 'alice@example.com', true, ?, ?, ?, 'ACTIVE',
                    now(), now())""", unit.id(), slug, "Application " + slug, names.iamUser(),
                names.budgetName(), names.secretName());
        // Portable (H2 and PostgreSQL): no "returning".
        return jdbc.queryForObject("select id from application where business_unit_id = ? and slug = ?", Long.class,
                unit.id(), slug);
    }

    /**
     * Waits (up to 30 s) until {@code sessions} database sessions wait for an application's row lock, as a
     * provisioning step takes it ({@code ApplicationService.lock}): the test holds the row and the work under test has
     * reached it.
     */
    public static void awaitApplicationLockWaiters(org.springframework.jdbc.core.JdbcTemplate jdbc, int sessions) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> lockWaiters(jdbc,
                "%from application where id%update%") == sessions);
    }

    /**
     * How many sessions of the test's database (not another fork's or checkout's) wait for a row lock in a statement
     * like {@code statementLike} (SQL {@code like}): the work under test has reached the row the test holds.
     */
    public static int lockWaiters(org.springframework.jdbc.core.JdbcTemplate jdbc, String statementLike) {
        return jdbc.queryForObject("select count(*) from pg_stat_activity where datname = current_database() "
                + "and wait_event_type = 'Lock' and query like ?", Integer.class, statementLike);
    }

    /** The member listener ({@code ApplicationMembers.on(MembersChanged)}) as Spring Modulith names it in a row. */
    public static final String MEMBER_LISTENER = com.bedrockportal.application.ApplicationMembers.class.getName()
            + ".on(" + com.bedrockportal.businessunit.MembersChanged.class.getName() + ")";

    /** An unfinished event's row as Spring Modulith stores one (its listener has not finished), published then. */
    public static java.util.UUID unfinishedEvent(JdbcTemplate jdbc, String listener, String type, String body,
            java.time.Instant published) {
        java.util.UUID id = java.util.UUID.randomUUID();
        jdbc.update("insert into event_publication (id, listener_id, event_type, serialized_event, publication_date) "
                + "values (?, ?, ?, ?, ?)", id, listener, type, body, java.sql.Timestamp.from(published));
        return id;
    }
}
