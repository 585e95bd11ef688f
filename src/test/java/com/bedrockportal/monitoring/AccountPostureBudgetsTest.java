package com.bedrockportal.monitoring;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.monitoring.AccountPostureCheck.Check;
import com.bedrockportal.monitoring.AccountPostureCheck.Status;
import com.bedrockportal.provisioning.Budgets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
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

    static Application app(long id, String budgetName) {
        return new Application(id, 1, "app" + id, "App " + id, "alice", "alice@example.com", "p", "INTERNAL", null,
                new Application.AwsNames("sales-app" + id + "-bedrock", budgetName, null), Application.Status.ACTIVE,
                null, Instant.EPOCH, Instant.EPOCH, 0);
    }

    void unitAndApplications(int active, List<Application> read) {
        when(units.active()).thenReturn(List.of(new BusinessUnit(1, "sales", "Sales", "CC-1", "s@example.com",
                BigDecimal.TEN, false, Set.of("mike"), Set.of("alice"), Instant.EPOCH, Instant.EPOCH, 0, null)));
        when(applications.activeAfter(eq(0L), anyInt())).thenAnswer(a -> read.stream()
                .limit(a.<Integer>getArgument(1)).toList());
        when(applications.countActive()).thenReturn(active);
        when(budgets.findBudget(anyString())).thenAnswer(a -> Optional.of(new Budgets.BudgetSpec(a.getArgument(0),
                BigDecimal.TEN, "sales", List.of(new Budgets.BudgetAlert("ACTUAL", 80, List.of("s@example.com"))),
                null)));
    }

    @Test
    void overTheCapTheApplicationsAreCountedNotReadAndTheLineSaysHowManyWereChecked() {
        unitAndApplications(4, List.of(app(1, "b1"), app(2, "b2"), app(3, "b3"), app(4, "b4")));

        Check line = check(3).budgets("123456789012");

        assertThat(line.status()).isEqualTo(Status.AMBER);
        assertThat(line.evidenceKey()).isEqualTo("posture.budgets.cut");
        assertThat(line.evidenceArgs()).containsExactly("—", "3", "5");
        verify(applications).activeAfter(0L, 2);
        verify(budgets, times(3)).findBudget(anyString());
        verify(budgets, never()).findBudget("b3");
    }

    @Test
    void underTheCapEveryBudgetIsReadAndAnApplicationWithoutOneIsMissing() {
        unitAndApplications(3, List.of(app(1, "b1"), app(2, null), app(3, "b3")));

        Check line = check(300).budgets("123456789012");

        assertThat(line.status()).isEqualTo(Status.RED);
        assertThat(line.evidenceArgs().get(0)).isEqualTo("application app2 (none recorded)");
        assertThat(line.evidenceArgs().subList(2, 4)).containsExactly("4", "4");
        verify(budgets).findBudget(ApplicationNames.unitBudget("sales"));
        verify(budgets).findBudget("b1");
        verify(budgets).findBudget("b3");
        verify(applications, never()).countActive();
    }
}
