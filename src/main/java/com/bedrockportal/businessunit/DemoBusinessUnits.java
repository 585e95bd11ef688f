package com.bedrockportal.businessunit;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

import com.bedrockportal.shared.PortalProperties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Seeds marketing, data-science and customer-support on the first start (when {@code portal.demo-data=true}); the
 * demo API client ci-bot is a member of marketing, so its requests are marketing's.
 */
@Component
@Order(10)
class DemoBusinessUnits implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoBusinessUnits.class);

    private final PortalProperties properties;
    private final BusinessUnitService service;

    DemoBusinessUnits(PortalProperties properties, BusinessUnitService service) {
        this.properties = properties;
        this.service = service;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (properties.demoData() && service.seedIfEmpty(List.of(
                draft("marketing", "Marketing", "CC-1001", "marketing-owner@example.com", "500", Set.of("mike"),
                        Set.of("alice", "mike", "ci-bot")),
                draft("data-science", "Data Science", "CC-2040", "ds-owner@example.com", "2000", Set.of("mike"),
                        Set.of("bob")),
                draft("customer-support", "Customer Support", "CC-3300", "support-owner@example.com", "300",
                        Set.of("mike"), Set.of())))) {
            log.info("Seeded demo business units: marketing, data-science, customer-support");
        }
    }

    private static BusinessUnitDraft draft(String slug, String name, String costCenter, String owner, String budget,
            Set<String> managers, Set<String> members) {
        BusinessUnitDraft d = new BusinessUnitDraft();
        d.setSlug(slug);
        d.setDisplayName(name);
        d.setCostCenter(costCenter);
        d.setOwnerEmail(owner);
        d.setDefaultMonthlyBudget(new BigDecimal(budget));
        d.setManagers(managers);
        d.setMembers(members);
        return d;
    }
}
