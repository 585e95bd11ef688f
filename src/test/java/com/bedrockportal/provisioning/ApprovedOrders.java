package com.bedrockportal.provisioning;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.testsupport.Fixtures;

import org.springframework.jdbc.core.JdbcTemplate;

/** An approved request of alice's for Nova Lite in us-east-1 (with a secret copy), made without the workflow. */
final class ApprovedOrders {

    private ApprovedOrders() {
    }

    static long approvedRequest(JdbcTemplate jdbc, BusinessUnit unit) {
        return jdbc.queryForObject("""
                insert into access_request (business_unit_id, requester, purpose, models, regions, source_cidrs,
                    lifetime_days, monthly_budget, alert_threshold, alert_emails, store_secret, owner_email,
                    data_classification, status, submission_key, created_at, updated_at)
                values (?, 'alice', 'replay test', 'amazon.nova-lite-v1:0', 'us-east-1', '', 30, 300, 80,
                    'alice@example.com', true, 'alice@example.com', 'INTERNAL', 'APPROVED', ?, now(), now())
                returning id""", Long.class, unit.id(), UUID.randomUUID().toString());
    }

    /** The order of the request, for the unit's application "main" (created with the first order). */
    static Provisioner.Order order(JdbcTemplate jdbc, long requestId, BusinessUnit unit, ModelCatalog catalog) {
        long app = jdbc.queryForList("select id from application where business_unit_id = ? and slug = 'main'",
                Long.class, unit.id()).stream().findFirst().orElseGet(() -> Fixtures.application(jdbc, unit, "main"));
        Application.AwsNames names = ApplicationNames.of(unit.slug(), "main");
        return new Provisioner.Order(requestId, "alice", unit.id(), unit.slug(), app, "main", names.iamUser(),
                names.budgetName(), names.secretName(), unit.costCenter(), "alice@example.com", "internal", catalog.find(List.of("amazon.nova-lite-v1:0")), List.of("us-east-1"), List.of(), 30,
                new BigDecimal("300"), 80, List.of("alice@example.com"), true, true);
    }
}
