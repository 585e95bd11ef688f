package com.bedrockportal.application;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitDraft;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.provisioning.Budgets;
import com.bedrockportal.sandbox.SandboxFaults;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The unit-wide budget against PostgreSQL and the simulated account: created and updated with the unit's save; the
 * budget an application migrated from before applications recorded under the same name becomes the unit's (one owner,
 * nothing renamed in AWS); when AWS fails, the admin is told and the save is not made.
 */
class UnitBudgetIT extends PostgresSupport {

    @Autowired
    BusinessUnitService units;
    @Autowired
    Budgets budgets;
    @Autowired
    ApplicationService applications;
    @Autowired
    SimulatedAccount account;
    @Autowired
    JdbcTemplate jdbc;

    /**
     * The posture check's budget line reads the active applications' budget names once each and counts those that
     * record none; a decommissioned application's budget is not among them, and a name two applications share counts
     * once among the units' names.
     */
    @Test
    void theActiveApplicationsBudgetsAreReadOnceEachAndThoseWithoutOneCounted() {
        BusinessUnit unit = Fixtures.unit(units, "pb", Set.of("mike"), Set.of("alice"));
        String none = "none-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        long first = Fixtures.application(jdbc, unit, "first");
        long shared = Fixtures.application(jdbc, unit, "shared");
        long withoutBudget = Fixtures.application(jdbc, unit, none);
        long gone = Fixtures.application(jdbc, unit, "gone");
        String firstBudget = jdbc.queryForObject("select budget_name from application where id = ?", String.class,
                first);
        String goneBudget = jdbc.queryForObject("select budget_name from application where id = ?", String.class,
                gone);
        jdbc.update("update application set budget_name = ? where id = ?", firstBudget, shared);
        jdbc.update("update application set budget_name = null where id = ?", withoutBudget);
        jdbc.update("update application set status = 'DECOMMISSIONED' where id = ?", gone);

        ApplicationService.ActiveBudgets all = applications.activeBudgets(100_000, 100_000,
                List.of(firstBudget, goneBudget, "no-such-budget"));

        assertThat(all.names()).containsOnlyOnce(firstBudget).doesNotContain(goneBudget);
        assertThat(all.amongCount()).as("the shared name once; the decommissioned one not").isEqualTo(1);
        assertThat(all.without()).containsOnlyOnce(none);
        ApplicationService.ActiveBudgets one = applications.activeBudgets(1, 0, List.of());
        assertThat(one.names()).hasSize(1);
        assertThat(one.nameCount()).isGreaterThanOrEqualTo(all.names().size());
        assertThat(one.without()).isEmpty();
        assertThat(one.withoutCount()).isPositive();
    }

    /**
     * The sandbox console's application picker asks for a page of the active applications matching what is typed:
     * by slug or by IAM user, ignoring case, {@code _} taken literally, oldest first, a page at a time, at most
     * {@value ApplicationService#MAX_PAGE}, a decommissioned application never.
     */
    @Test
    void thePickerFindsActiveApplicationsBySlugOrIamUserAPageAtATime() {
        BusinessUnit unit = Fixtures.unit(units, "pk");
        try {
            String run = java.util.UUID.randomUUID().toString().substring(0, 8);
            long a = Fixtures.application(jdbc, unit, "pick" + run + "-a");
            long b = Fixtures.application(jdbc, unit, "pick" + run + "-b");
            long gone = Fixtures.application(jdbc, unit, "pick" + run + "-c");
            jdbc.update("update application set status = 'DECOMMISSIONED' where id = ?", gone);
            String iamUserOfB = jdbc.queryForObject("select iam_user from application where id = ?", String.class, b);

            assertThat(applications.activeMatching("PICK" + run, 0, 50)).extracting(Application::id)
                    .containsExactly(a, b);
            assertThat(applications.activeMatching(iamUserOfB.toUpperCase(java.util.Locale.ROOT), 0, 50))
                    .extracting(Application::id).containsExactly(b);
            assertThat(applications.activeMatching("pick" + run + "_a", 0, 50)).as("_ is no wildcard").isEmpty();
            assertThat(applications.activeMatching("pick" + run, 1, 1)).extracting(Application::id).containsExactly(b);
            for (int i = 0; i < ApplicationService.MAX_PAGE; i++) {
                Fixtures.application(jdbc, unit, "pick" + run + "-many-" + i);
            }
            assertThat(applications.activeMatching("pick" + run, 0, 10_000)).hasSize(ApplicationService.MAX_PAGE)
                    .extracting(Application::id).startsWith(a, b);
        } finally {
            // The drift, usage and posture jobs of later tests read every active application.
            jdbc.update("delete from application where business_unit_id = ?", unit.id());
        }
    }

    @Test
    void savingAUnitCreatesThenUpdatesItsUnitWideBudget() {
        BusinessUnit unit = Fixtures.unit(units, "ub");
        String name = unit.slug() + "-bedrock-monthly";
        assertThat(budgets.findBudget(name)).get().satisfies(b -> {
            assertThat(b.amountUsd()).isEqualByComparingTo("500");
            assertThat(b.businessUnitTag()).isEqualTo(unit.slug());
            assertThat(b.applicationTag()).isNull();
            assertThat(b.alerts()).extracting(Budgets.BudgetAlert::type).containsExactlyInAnyOrder("ACTUAL",
                    "FORECASTED");
            assertThat(b.alerts()).allSatisfy(a -> assertThat(a.emails()).containsExactly("owner@example.com"));
        });

        BusinessUnit saved = save(unit, "750", "finance@example.com");

        assertThat(saved.defaultMonthlyBudget()).isEqualByComparingTo("750");
        assertThat(budgets.findBudget(name)).get().satisfies(b -> {
            assertThat(b.amountUsd()).isEqualByComparingTo("750");
            assertThat(b.alerts()).allSatisfy(a -> assertThat(a.emails()).containsExactly("finance@example.com"));
        });
        assertThat(jdbc.queryForList("select details from audit_event where action = 'UNIT_BUDGET_SAVED' and target = ?",
                String.class, "business-unit:" + unit.slug())).containsExactly(
                        "created " + name + ": 500 USD a month, alerts to owner@example.com",
                        "updated " + name + ": 750 USD a month, alerts to finance@example.com");
    }

    @Test
    void theBudgetOfTheApplicationMigratedFromBeforeApplicationsBecomesTheUnitWideBudget() {
        BusinessUnit unit = Fixtures.unit(units, "ubl", Set.of("mike"), Set.of("alice"));
        String name = unit.slug() + "-bedrock-monthly";
        // As migration 11.1 leaves a unit that had keys: the application "unit-key" records the unit's old budget,
        // which AWS holds with the last request's amount and alerts.
        long legacy = Fixtures.application(jdbc, unit, ApplicationNames.LEGACY_SLUG);
        jdbc.update("update application set budget_name = ? where id = ?", name, legacy);
        budgets.updateBudget(new Budgets.BudgetSpec(name, new BigDecimal("50"), unit.slug(), List.of(
                new Budgets.BudgetAlert("ACTUAL", 80, List.of("alice@example.com")))));

        save(unit, "900", "owner@example.com");

        assertThat(budgets.findBudget(name)).get().satisfies(b -> {
            assertThat(b.amountUsd()).isEqualByComparingTo("900");
            assertThat(b.businessUnitTag()).isEqualTo(unit.slug());
            assertThat(b.alerts()).allSatisfy(a -> assertThat(a.emails()).containsExactly("owner@example.com"));
        });
        Application migrated = applications.load(legacy);
        assertThat(migrated.names().budgetName()).isEqualTo(unit.slug() + "-unit-key-bedrock-monthly");
        assertThat(jdbc.queryForObject("select count(*) from application where budget_name = ?", Integer.class, name))
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from notification where recipient = 'alice' and title like ?",
                Integer.class, "Budget " + name + " is now the unit-wide budget")).isEqualTo(1);
        // Nothing was renamed or deleted in AWS: the application's own budget waits for its next change.
        assertThat(budgets.findBudget(unit.slug() + "-unit-key-bedrock-monthly")).isEmpty();

        // A later application of the unit never gets the unit's name, not even with the legacy slug.
        assertThat(ApplicationNames.of(unit.slug(), ApplicationNames.LEGACY_SLUG).budgetName()).isNotEqualTo(name);
        assertThat(ApplicationNames.of(unit.slug(), "copy").budgetName()).isEqualTo(unit.slug()
                + "-copy-bedrock-monthly");
    }

    /**
     * Slugs join with "-": a new unit "<unit>-<app>" would name its unit-wide budget as another unit's application's
     * budget, and take it over (amount, alerts, deletion with the unit). The save is refused, nothing created.
     */
    @Test
    void aUnitWhoseBudgetNameIsAnotherUnitsApplicationsIsNotCreated() {
        BusinessUnit unit = Fixtures.unit(units, "ubc");
        Fixtures.application(jdbc, unit, "emea");
        String clash = unit.slug() + "-emea";
        assertThat(jdbc.queryForObject("select budget_name from application where business_unit_id = ? and slug = "
                + "'emea'", String.class, unit.id())).isEqualTo(clash + "-bedrock-monthly");
        BusinessUnitDraft d = newUnit(clash);
        assertThatThrownBy(() -> RunAs.user("adam", () -> units.create(d), "ADMIN")).isInstanceOfSatisfying(
                FieldErrors.class, e -> assertThat(e.errors().get("form")).contains("another unit's application")
                        .contains("Application emea"));
        assertThat(jdbc.queryForObject("select count(*) from business_unit where slug = ?", Integer.class, clash))
                .isZero();
        assertThat(budgets.findBudget(clash + "-bedrock-monthly")).isEmpty();
    }

    private static BusinessUnitDraft newUnit(String slug) {
        BusinessUnitDraft d = new BusinessUnitDraft();
        d.setSlug(slug);
        d.setDisplayName("New " + slug);
        d.setCostCenter("CC-9");
        d.setOwnerEmail("owner@example.com");
        d.setDefaultMonthlyBudget(new BigDecimal("100"));
        d.setManagers(Set.of("mike"));
        return d;
    }

    @Test
    void whenAwsFailsTheAdminIsToldAndTheSaveIsNotMade() {
        BusinessUnit unit = Fixtures.unit(units, "ubf");
        SandboxFaults.fail(account, "UpdateBudget", "TRANSIENT");
        try {
            assertThatThrownBy(() -> save(unit, "650", "owner@example.com")).isInstanceOfSatisfying(
                    FieldErrors.class, e -> assertThat(e.errors()).containsOnlyKeys("form").extractingByKey("form")
                            .asString().contains("AWS did not answer").contains("was not saved"));
        } finally {
            SandboxFaults.clear(account);
        }
        assertThat(units.find(unit.id()).orElseThrow().defaultMonthlyBudget()).isEqualByComparingTo("500");

        SandboxFaults.fail(account, "CreateBudget", "ACCESS_DENIED");
        BusinessUnitDraft d = newUnit("ubn-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        try {
            assertThatThrownBy(() -> RunAs.user("adam", () -> units.create(d), "ADMIN")).isInstanceOfSatisfying(
                    FieldErrors.class, e -> assertThat(e.errors().get("form")).contains("AWS refused"));
        } finally {
            SandboxFaults.clear(account);
        }
        assertThat(jdbc.queryForObject("select count(*) from business_unit where slug = ?", Integer.class,
                d.getSlug())).isZero();
    }

    private BusinessUnit save(BusinessUnit unit, String budget, String ownerEmail) {
        BusinessUnitDraft d = BusinessUnitDraft.of(units.find(unit.id()).orElseThrow());
        d.setDefaultMonthlyBudget(new BigDecimal(budget));
        d.setOwnerEmail(ownerEmail);
        return RunAs.user("adam", () -> units.update(d), "ADMIN");
    }
}
