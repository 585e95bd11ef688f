package com.bedrockportal.monitoring;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.monitoring.AccountPostureCheck.Check;
import com.bedrockportal.monitoring.AccountPostureCheck.Status;
import com.bedrockportal.provisioning.Budgets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The posture line "Budgets": the unit budgets and the active applications' budgets, at most
 * {@code portal.posture.max-budgets} read from AWS; the applications over the cap are counted, never read.
 */
class AccountPostureBudgetsTest {

    final Budgets budgets = mock(Budgets.class);
    final BusinessUnitService units = mock(BusinessUnitService.class);
    final ApplicationService applications = mock(ApplicationService.class);

    AccountPostureCheck check(int maxBudgets) {
        return new AccountPostureCheck(null, null, budgets, units, applications,
                new PostureProperties(List.of("us-east-1"), List.of("business-unit", "application"),
                        List.of("cost-center"), maxBudgets), List.of("us-east-1"),
                "us-east-1", null, Clock.systemUTC());
    }

    void unitAndApplications(List<String> budgetNames, List<String> withoutBudget) {
        when(units.active()).thenReturn(List.of(new BusinessUnit(1, "sales", "Sales", "CC-1", "s@example.com",
                BigDecimal.TEN, false, Set.of("mike"), Set.of("alice"), Instant.EPOCH, Instant.EPOCH, 0, null)));
        when(applications.activeBudgets(anyInt(), anyInt(), anyCollection())).thenAnswer(a -> {
            java.util.Collection<String> among = a.getArgument(2);
            return new ApplicationService.ActiveBudgets(budgetNames.stream().limit(a.<Integer>getArgument(0)).toList(),
                    budgetNames.size(), (int) budgetNames.stream().filter(among::contains).count(),
                    withoutBudget.stream().limit(a.<Integer>getArgument(1)).toList(), withoutBudget.size());
        });
        when(budgets.findBudget(anyString())).thenAnswer(a -> Optional.of(new Budgets.BudgetSpec(a.getArgument(0),
                BigDecimal.TEN, "sales", List.of(new Budgets.BudgetAlert("ACTUAL", 80, List.of("s@example.com"))),
                null)));
    }

    @Test
    void overTheCapTheBudgetsAreCountedNotReadAndTheLineSaysHowManyWereChecked() {
        unitAndApplications(List.of("b1", "b2", "b3", "b4"), List.of());

        Check line = check(3).budgets("123456789012");

        assertThat(line.status()).isEqualTo(Status.AMBER);
        assertThat(line.evidenceKey()).isEqualTo("posture.budgets.cut");
        assertThat(line.evidenceArgs()).containsExactly("—", "3", "5");
        verify(applications).activeBudgets(3, 8, List.of(ApplicationNames.unitBudget("sales")));
        verify(budgets, times(3)).findBudget(anyString());
        verify(budgets).findBudget(ApplicationNames.unitBudget("sales"));
        verify(budgets, never()).findBudget("b3");
    }

    @Test
    void everyApplicationWithoutABudgetIsMissingEvenWhenTheUnitsFillTheCap() {
        List<String> without = java.util.stream.IntStream.rangeClosed(1, 12).mapToObj(i -> "app" + i).toList();
        unitAndApplications(List.of("b1"), without);

        Check line = check(1).budgets("123456789012");

        assertThat(line.status()).isEqualTo(Status.RED);
        assertThat(line.evidenceArgs().get(0)).startsWith("application app1 (none recorded), ")
                .contains("application app8 (none recorded)").doesNotContain("app9").endsWith(" … (+4)");
        assertThat(line.evidenceArgs().subList(2, 4)).as("checked: the unit's budget and the 12; of 14")
                .containsExactly("13", "14");
        verify(budgets, times(1)).findBudget(anyString());
    }

    @Test
    void anApplicationKeepingItsUnitsBudgetNameIsOneBudget() {
        unitAndApplications(List.of(ApplicationNames.unitBudget("sales"), "b2"), List.of());

        Check line = check(2).budgets("123456789012");

        assertThat(line.status()).isEqualTo(Status.GREEN);
        assertThat(line.evidenceArgs()).containsExactly("2");
        verify(budgets).findBudget(ApplicationNames.unitBudget("sales"));
        verify(budgets).findBudget("b2");
    }

    /** Over the cap, a budget name the unit and an application share is still one budget in the total. */
    @Test
    void aSharedBudgetNameNotReadIsCountedOnce() {
        unitAndApplications(List.of("b2", ApplicationNames.unitBudget("sales")), List.of());

        Check line = check(1).budgets("123456789012");

        assertThat(line.status()).isEqualTo(Status.AMBER);
        assertThat(line.evidenceArgs()).containsExactly("—", "1", "2");
    }

    @Test
    void aMissingBudgetIsNamed() {
        unitAndApplications(List.of("b1", "b2"), List.of());
        when(budgets.findBudget("b2")).thenReturn(Optional.empty());

        Check line = check(300).budgets("123456789012");

        assertThat(line.status()).isEqualTo(Status.RED);
        assertThat(line.evidenceArgs()).containsExactly("b2", "—", "3", "3");
    }
}
