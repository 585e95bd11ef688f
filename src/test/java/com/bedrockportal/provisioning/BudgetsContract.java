package com.bedrockportal.provisioning;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

import static com.bedrockportal.provisioning.Contracts.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What both adapters of {@link Budgets} must do alike. */
public interface BudgetsContract {

    Budgets budgets();

    @Test
    default void budgetsAreCreatedFoundUpdatedInPlaceAndUnique() {
        String name = unique("bu") + "-bedrock-monthly";
        Budgets.BudgetSpec spec = new Budgets.BudgetSpec(name, new BigDecimal("500"), "marketing", List.of(
                new Budgets.BudgetAlert("ACTUAL", 80, List.of("alice@example.com")),
                new Budgets.BudgetAlert("FORECASTED", 100, List.of("alice@example.com"))));
        budgets().createBudget(spec);
        assertThat(budgets().findBudget(name)).get().satisfies(b -> {
            assertThat(b.amountUsd()).isEqualByComparingTo("500");
            assertThat(b.alerts()).extracting(Budgets.BudgetAlert::type)
                    .containsExactlyInAnyOrder("ACTUAL", "FORECASTED");
        });
        assertThatThrownBy(() -> budgets().createBudget(spec)).isInstanceOfSatisfying(CloudException.class,
                e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.ALREADY_EXISTS));
        budgets().updateBudget(new Budgets.BudgetSpec(name, new BigDecimal("750"), "marketing",
                List.of(new Budgets.BudgetAlert("ACTUAL", 90, List.of("bob@example.com")))));
        assertThat(budgets().findBudget(name)).get().satisfies(b -> {
            assertThat(b.amountUsd()).isEqualByComparingTo("750");
            assertThat(b.alerts()).singleElement().satisfies(a -> {
                assertThat(a.thresholdPercent()).isEqualTo(90);
                assertThat(a.emails()).containsExactly("bob@example.com");
            });
        });
        assertThat(budgets().findBudget(unique("none"))).isEmpty();
    }

    // --- per-application filter (issue 10, owners)

    @Test
    default void anApplicationsBudgetFiltersOnItsUnitAndItsApplicationAndKeepsBothOnUpdate() {
        String name = unique("bu") + "-campaign-copy-bedrock-monthly";
        List<Budgets.BudgetAlert> alerts = List.of(new Budgets.BudgetAlert("ACTUAL", 80, List.of("alice@example.com")));
        budgets().createBudget(new Budgets.BudgetSpec(name, new BigDecimal("200"), "marketing", alerts,
                "campaign-copy"));
        assertThat(budgets().findBudget(name)).get().satisfies(b -> {
            assertThat(b.businessUnitTag()).isEqualTo("marketing");
            assertThat(b.applicationTag()).isEqualTo("campaign-copy");
        });
        budgets().updateBudget(new Budgets.BudgetSpec(name, new BigDecimal("250"), "marketing", alerts,
                "campaign-copy"));
        assertThat(budgets().findBudget(name)).get().satisfies(b -> {
            assertThat(b.amountUsd()).isEqualByComparingTo("250");
            assertThat(b.businessUnitTag()).isEqualTo("marketing");
            assertThat(b.applicationTag()).isEqualTo("campaign-copy");
        });
    }

    @Test
    default void aBudgetOfTheWholeUnitFiltersOnTheUnitOnly() {
        String name = unique("bu") + "-bedrock-monthly";
        budgets().createBudget(new Budgets.BudgetSpec(name, new BigDecimal("500"), "marketing",
                List.of(new Budgets.BudgetAlert("ACTUAL", 80, List.of("owner@example.com")))));
        assertThat(budgets().findBudget(name)).get().satisfies(b -> {
            assertThat(b.businessUnitTag()).isEqualTo("marketing");
            assertThat(b.applicationTag()).isNull();
        });
    }

    // --- Decommissioning

    @Test
    default void aBudgetIsDeletedAndDeletingItAgainCountsAsDone() {
        String name = unique("bu") + "-bedrock-monthly";
        budgets().createBudget(new Budgets.BudgetSpec(name, new BigDecimal("50"), "marketing",
                List.of(new Budgets.BudgetAlert("ACTUAL", 80, List.of("alice@example.com")))));
        assertThat(budgets().deleteBudget(name)).isTrue();
        assertThat(budgets().findBudget(name)).isEmpty();
        assertThat(budgets().deleteBudget(name)).isFalse();
    }
}
