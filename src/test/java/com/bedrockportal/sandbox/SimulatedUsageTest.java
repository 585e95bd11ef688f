package com.bedrockportal.sandbox;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import com.bedrockportal.catalog.ModelPrices;
import com.bedrockportal.provisioning.ApplicationSpend;
import com.bedrockportal.provisioning.BedrockCalls;
import com.bedrockportal.provisioning.BedrockCalls.BedrockCall;
import com.bedrockportal.provisioning.BudgetReadings.BudgetReading;
import com.bedrockportal.provisioning.Budgets;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.testsupport.MutableClock;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.bedrockportal.provisioning.Contracts.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The simulated account's answers to the usage collection: every key calls the models of its policy with tokens and a
 * cost from the price table, now and then refused or from outside its ranges; the same seed gives the same numbers,
 * another seed other ones; Cost Explorer's grouped report and DescribeBudget agree with the calls.
 */
class SimulatedUsageTest {

    static final Instant NOW = Instant.parse("2026-03-20T10:00:00Z");
    static final String SONNET = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    static final String NOVA = "amazon.nova-lite-v1:0";
    static JdbcClient jdbc;
    final MutableClock clock = new MutableClock(NOW);

    @BeforeAll
    static void database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:sandbox-usage;DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/common", "classpath:db/migration/h2")
                .load().migrate();
        jdbc = JdbcClient.create((DataSource) ds);
    }

    private SimulatedAccount account(long seed) {
        return new SimulatedAccount(jdbc, SimulatedAccountTest.AWS, new SandboxProperties(Duration.ZERO, 0, "",
                "TRANSIENT"), clock, seed);
    }

    /** An application's user with a policy for two models and one range, and a key made 30 days ago. */
    private String application(SimulatedAccount account, String unit, String app) {
        clock.set(NOW.minus(Duration.ofDays(30)));
        String user = unit + "-" + app + "-bedrock";
        account.createUser(user, "/bedrock-portal/", Map.of("business-unit", unit, "application", app));
        account.putUserPolicy(user, "bedrock-access-portal", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Action":["bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream"],
                 "Resource":["arn:aws:bedrock:us-east-1:123456789012:inference-profile/%s",
                             "arn:aws:bedrock:us-east-1::foundation-model/%s"],
                 "Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24"]}}},
                 {"Effect":"Allow","Action":"bedrock:CallWithBearerToken","Resource":"*"}]}""".formatted(SONNET,
                NOVA));
        account.createServiceCredential(user, ServiceCredentials.BEDROCK_SERVICE, 90);
        clock.set(NOW);
        return user;
    }

    @Test
    void theSameSeedGivesTheSameCallsAndAnotherSeedOtherOnes() {
        String unit = unique("seed");
        String user = application(account(42), unit, "chat");
        Instant from = NOW.minus(Duration.ofDays(14));

        List<BedrockCall> first = account(42).activity().callsOfUser(user, from, NOW, 5000).calls();
        List<BedrockCall> again = account(42).activity().callsOfUser(user, from, NOW, 5000).calls();
        List<BedrockCall> other = account(7).activity().callsOfUser(user, from, NOW, 5000).calls();

        // A key makes at least 2 calls on a weekday (between half and one and a half times its own daily rate of 4
        // to 22, drawn from its random credential id): the 13 whole days in the window hold at least 9 weekdays.
        assertThat(first).hasSizeGreaterThanOrEqualTo(18).isEqualTo(again);
        assertThat(other).isNotEqualTo(first);
        assertThat(first).extracting(BedrockCall::modelId).containsOnly(SONNET, NOVA).contains(SONNET, NOVA);
        assertThat(first).allSatisfy(c -> {
            assertThat(c.inputTokens()).isBetween(150L, 4000L);
            assertThat(c.outputTokens()).isBetween(40L, 1500L);
            assertThat(c.time()).isBetween(from, NOW);
        });
        // About one call in forty comes from outside the range and is refused: over three keys' month, some do.
        List<BedrockCall> month = new java.util.ArrayList<>(account(42).activity().callsOfUser(user,
                NOW.minus(Duration.ofDays(30)), NOW, 5000).calls());
        for (String app : List.of("mail", "search")) {
            month.addAll(account(42).activity().callsOfUser(application(account(42), unit, app),
                    NOW.minus(Duration.ofDays(30)), NOW, 5000).calls());
        }
        assertThat(month).filteredOn(BedrockCall::denied).as("now and then refused").isNotEmpty();
        assertThat(month).filteredOn(c -> !c.sourceIp().startsWith("192.0.2.")).as("now and then from outside")
                .isNotEmpty().allSatisfy(c -> assertThat(c.denied()).isTrue());
        LocalDate today = LocalDate.of(2026, 3, 20);
        BigDecimal seeded = total(account(42).activity().dailyByApplication(today.minusDays(13), today.plusDays(1),
                100), unit);
        assertThat(total(account(42).activity().dailyByApplication(today.minusDays(13), today.plusDays(1), 100),
                unit)).isEqualByComparingTo(seeded);
        assertThat(total(account(7).activity().dailyByApplication(today.minusDays(13), today.plusDays(1), 100),
                unit)).isNotEqualByComparingTo(seeded);
    }

    @Test
    void theReportGroupsTheCostOfTheCallsByUnitAndApplicationTag() {
        SimulatedAccount account = account(0);
        String unit = unique("spend");
        String chat = application(account, unit, "chat");
        application(account, unit, "search");
        LocalDate day = LocalDate.of(2026, 3, 10);
        Instant start = day.atStartOfDay().toInstant(java.time.ZoneOffset.UTC);

        BigDecimal expected = account.activity().callsOfUser(chat, start, start.plus(Duration.ofDays(1)), 5000)
                .calls().stream().filter(c -> c.errorCode() == null)
                .map(c -> ModelPrices.orFallback(c.modelId()).cost(c.inputTokens(), c.outputTokens()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        ApplicationSpend.Report report = account.activity().dailyByApplication(day, day.plusDays(1), 5000);

        assertThat(report.rows()).filteredOn(r -> r.businessUnitTag().equals(unit))
                .extracting(ApplicationSpend.TaggedSpend::applicationTag).containsExactlyInAnyOrder("chat", "search");
        assertThat(report.rows()).filteredOn(r -> r.businessUnitTag().equals(unit) && r.applicationTag()
                .equals("chat")).singleElement().satisfies(r -> assertThat(r.amountUsd())
                        .isEqualByComparingTo(expected).isPositive());
        assertThat(account.activity().dailyByApplication(day, day.plusDays(1), 1).truncated())
                .as("more groups than asked for").isTrue();
    }

    @Test
    void aBudgetsActualIsTheMonthsSpendAndItsForecastTheMonthAtThatPace() {
        SimulatedAccount account = account(0);
        String unit = unique("budget");
        application(account, unit, "chat");
        account.createBudget(new Budgets.BudgetSpec(unit + "-chat-bedrock-monthly", new BigDecimal("300"), unit,
                List.of(), "chat"));
        LocalDate today = LocalDate.of(2026, 3, 20);

        BudgetReading reading = account.reading(unit + "-chat-bedrock-monthly").orElseThrow();
        BigDecimal month = total(account.activity().dailyByApplication(today.withDayOfMonth(1), today.plusDays(1),
                100), unit);

        assertThat(reading.limitUsd()).isEqualByComparingTo("300");
        assertThat(reading.actualUsd()).isPositive().isEqualByComparingTo(month.setScale(2,
                java.math.RoundingMode.HALF_UP));
        assertThat(reading.forecastUsd()).isEqualByComparingTo(reading.actualUsd().multiply(BigDecimal.valueOf(31))
                .divide(BigDecimal.valueOf(20), 2, java.math.RoundingMode.HALF_UP));
        assertThat(account.reading("no-such-budget")).isEmpty();
    }

    @Test
    void aFailureAimedAtOneUserLeavesTheOthersLookUps() {
        SimulatedAccount account = account(0);
        String unit = unique("fault");
        String broken = application(account, unit, "broken");
        String fine = application(account, unit, "fine");
        account.rehearse(new SandboxProperties(Duration.ZERO, 0, "LookupEvents", "ACCESS_DENIED", broken));

        assertThatThrownBy(() -> account.activity().callsOfUser(broken, NOW.minus(Duration.ofDays(1)), NOW, 10))
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.kind())
                        .isEqualTo(CloudException.Kind.ACCESS_DENIED));
        assertThat(account.activity().callsOfUser(fine, NOW.minus(Duration.ofDays(14)), NOW, 10).calls()).hasSize(10);
        assertThat(account.activity().callsOfUser(fine, NOW.minus(Duration.ofDays(14)), NOW, 10).truncated()).isTrue();
        assertThat(BedrockCalls.MAX_CALLS).isEqualTo(5000);
    }

    private static BigDecimal total(ApplicationSpend.Report report, String unit) {
        return report.rows().stream().filter(r -> r.businessUnitTag().equals(unit))
                .map(ApplicationSpend.TaggedSpend::amountUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
