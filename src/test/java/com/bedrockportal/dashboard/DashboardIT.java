package com.bedrockportal.dashboard;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dashboard's figures and lists on PostgreSQL: each audience counts only its own rows, stored figures are what
 * a visit reads, the refresh is security's, and the CSV export holds the filtered rows, defused and audited.
 */
@TestPropertySource(properties = "portal.dashboard.refresh-enabled=false")
class DashboardIT extends PostgresSupport {

    @Autowired
    Dashboard dashboard;
    @Autowired
    Lists lists;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    com.bedrockportal.request.RequestService requests;

    @Autowired
    FigureQueries queries;
    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactionManager;

    /**
     * The expiring tiles count applications, as the list they open does: a rotation's old key (its application keeps
     * the new one) and an application's second key expiring in the window no longer count. And the expiry chart's
     * weeks are UTC weeks whatever the database session's time zone: a key expiring at 23:00 UTC on a Sunday is in
     * that week, also for a session 14 hours ahead (it moved to the next week).
     */
    @Test
    void expiringTilesCountApplicationsAndTheChartsWeeksAreUtc() {
        String owner = "tz-" + UUID.randomUUID().toString().substring(0, 6);
        DashboardSeed seed = new DashboardSeed(jdbc);
        BusinessUnit unit = Fixtures.unit(units, "dtz");
        long twoKeys = seed.application(unit, owner + "-two", owner);
        seed.key(unit, twoKeys, "ACTIVE", Duration.ofDays(3));
        seed.key(unit, twoKeys, "ACTIVE", Duration.ofDays(5));
        long rotated = seed.application(unit, owner + "-rotated", owner);
        seed.key(unit, rotated, "ACTIVE", Duration.ofDays(4));
        seed.key(unit, rotated, "ACTIVE", Duration.ofDays(90));
        java.time.LocalDate day = seed.keyExpiringLateOnASunday(unit, owner);
        Scope scope = new Scope("owner:" + owner, null, owner);

        Figures figures = DashboardSeed.computedFarEast(transactionManager, jdbc, queries, scope,
                "set local time zone 'Pacific/Kiritimati'", null);
        assertThat(figures.tiles().expiring7()).isEqualTo(1);
        assertThat(figures.tiles().expiring30()).isEqualTo(2);
        assertThat(RunAs.user("sara", () -> lists.countApplications(new Lists.AppFilter(owner, null, null, 7, null)),
                "SECURITY")).isEqualTo(1);
        assertThat(figures.expiry()).filteredOn(w -> w.weekStart().equals(day.minusDays(6))).singleElement()
                .extracting(Figures.WeekCount::keys).isEqualTo(1L);
        assertThat(figures.expiry()).filteredOn(w -> w.weekStart().equals(day.plusDays(1)))
                .allSatisfy(w -> assertThat(w.keys()).isZero());
    }

    @Test
    void eachAudienceCountsItsOwnRows() {
        String run = UUID.randomUUID().toString().substring(0, 6);
        DashboardSeed seed = new DashboardSeed(jdbc);
        BusinessUnit mikes = Fixtures.unit(units, "dit");
        BusinessUnit other = Fixtures.unit(units, "dio", Set.of("otto"), Set.of("bob"));
        long a1 = seed.application(mikes, "a-" + run, "alice");
        long b1 = seed.application(other, "b-" + run, "bob");
        seed.key(mikes, a1, "ACTIVE", Duration.ofDays(3));
        seed.key(mikes, a1, "PENDING_REVEAL", Duration.ofDays(-1));
        seed.key(other, b1, "ACTIVE", Duration.ofDays(40));
        seed.spend(mikes, a1, "10.00", "25.00");
        seed.spend(other, b1, "99.00", "120.00");
        seed.usage(a1, 0, 11, 2);

        RunAs.user("sara", () -> dashboard.refreshNow(), "SECURITY");
        Figures all = RunAs.user("sara", () -> dashboard.current(), "SECURITY").figures();
        assertThat(all.scope()).isEqualTo("all");
        assertThat(all.tiles().openIncidents()).isNotNull();
        assertThat(all.keysByUnit()).filteredOn(u -> u.unitId() == mikes.id()).singleElement()
                .satisfies(u -> {
                    assertThat(u.active()).isEqualTo(1);
                    assertThat(u.expired()).isEqualTo(1);
                });
        assertThat(all.tiles().activeKeys()).isEqualTo(jdbc.queryForObject("select count(*) from api_key where "
                + "status = 'ACTIVE'", Long.class));
        assertThat(all.spend()).filteredOn(s -> s.unitId() == other.id()).singleElement()
                .satisfies(s -> assertThat(s.actual()).isEqualByComparingTo("99.00"));

        Dashboard.View mike = RunAs.user("mike", () -> dashboard.current(), "MANAGER");
        assertThat(mike.stored()).isTrue();
        assertThat(mike.canRefresh()).isFalse();
        assertThat(mike.figures().tiles().openIncidents()).isNull();
        assertThat(mike.figures().keysByUnit()).extracting(Figures.UnitKeys::unitId).contains(mikes.id())
                .doesNotContain(other.id());
        assertThat(mike.figures().tiles().expiring7()).isPositive();

        Figures bob = RunAs.user("bob", () -> dashboard.current(), "REQUESTER").figures();
        assertThat(bob.scope()).isEqualTo("owner:bob");
        assertThat(bob.keysByUnit()).extracting(Figures.UnitKeys::unitId).contains(other.id()).doesNotContain(mikes.id());
        assertThat(bob.spend()).filteredOn(s -> s.unitId() == other.id()).singleElement()
                .satisfies(s -> assertThat(s.actual()).isEqualByComparingTo(new BigDecimal("99.00")));
        assertThat(bob.spend()).extracting(Figures.UnitSpend::unitId).doesNotContain(mikes.id());
        Figures alice = RunAs.user("alice", () -> dashboard.current(), "REQUESTER").figures();
        assertThat(alice.usage()).extracting(Figures.AppUsage::applicationId).contains(a1).doesNotContain(b1);
        // The chart draws the busiest applications by name (the rest as "others").
        assertThat(alice.charts().get(Figures.INVOCATIONS).wide()).contains(ChartRenderer.escape(
                alice.usage().get(0).application()));
    }

    /**
     * A manager's stored figures belong to the units he manages: removed as a unit's manager, he no longer sees its
     * figures (not even the snapshot of before), and the next refresh deletes that snapshot.
     */
    @Test
    void aManagerNoLongerSeesTheFiguresOfAUnitHeStoppedManaging() {
        BusinessUnit kept = Fixtures.unit(units, "dmk", Set.of("mona"), Set.of("alice"));
        BusinessUnit dropped = Fixtures.unit(units, "dmd", Set.of("mona"), Set.of("alice"));
        DashboardSeed seed = new DashboardSeed(jdbc);
        for (BusinessUnit u : List.of(kept, dropped)) {
            seed.key(u, seed.application(u, "m-" + UUID.randomUUID().toString().substring(0, 6), "alice"), "ACTIVE",
                    Duration.ofDays(40));
        }
        RunAs.user("sara", () -> dashboard.refreshNow(), "SECURITY");
        assertThat(RunAs.user("mona", () -> dashboard.current(), "MANAGER").figures().keysByUnit())
                .extracting(Figures.UnitKeys::unitId).contains(kept.id(), dropped.id());
        String before = jdbc.queryForObject("select scope from dashboard_snapshot where scope like 'manager:mona@%'",
                String.class);

        jdbc.update("delete from business_unit_manager where business_unit_id = ? and username = 'mona'",
                dropped.id());
        assertThat(RunAs.user("mona", () -> dashboard.current(), "MANAGER").figures().keysByUnit())
                .extracting(Figures.UnitKeys::unitId).contains(kept.id()).doesNotContain(dropped.id());
        RunAs.user("sara", () -> dashboard.refreshNow(), "SECURITY");
        assertThat(jdbc.queryForList("select scope from dashboard_snapshot where scope like 'manager:mona@%'",
                String.class)).hasSize(1).doesNotContain(before);
    }

    @Test
    void openPagesOfOneAudienceShareItsStoredFiguresUntilTheyAreRefreshed() {
        RunAs.user("sara", () -> dashboard.refreshNow(), "SECURITY");
        Figures first = RunAs.user("sara", () -> dashboard.current(), "SECURITY").figures();
        Figures second = RunAs.user("sam", () -> dashboard.current(), "SECURITY").figures();
        // One copy of the charts for every page of the audience, not one read, parsed and held per page.
        assertThat(second).isSameAs(first);
        Figures mikes = RunAs.user("mike", () -> dashboard.current(), "MANAGER").figures();
        assertThat(mikes.scope()).isNotEqualTo(first.scope());

        RunAs.user("sara", () -> dashboard.refreshNow(), "SECURITY");
        Figures refreshed = RunAs.user("sara", () -> dashboard.current(), "SECURITY").figures();
        assertThat(refreshed).isNotSameAs(first);
        assertThat(refreshed.computedAt()).isAfter(first.computedAt());
        // Stored by another node (here: written straight to the table): read again, not the copy held here.
        jdbc.update("update dashboard_snapshot set refreshed_at = refreshed_at + interval '1 second' where scope = "
                + "'all'");
        assertThat(RunAs.user("sara", () -> dashboard.current(), "SECURITY").figures()).isNotSameAs(refreshed);
    }

    @Test
    void onlySecurityAndAdminsRefreshAndTheListsKeepToTheUsersUnits() throws Exception {
        assertThatThrownBy(() -> RunAs.user("mike", () -> dashboard.refreshNow(), "MANAGER"))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> RunAs.user("alice", () -> lists.countRequests(Lists.RequestFilter.none()),
                "REQUESTER")).isInstanceOf(AccessDeniedException.class);

        BusinessUnit other = Fixtures.unit(units, "dil", Set.of("otto"), Set.of("bob"));
        long app = new DashboardSeed(jdbc).application(other, "=cmd-" + UUID.randomUUID().toString().substring(0, 4),
                "bob");
        jdbc.update("update application set display_name = '=HYPERLINK(1)' where id = ?", app);
        var draft = Fixtures.request(other.id());
        long id = RunAs.user("bob", () -> requests.submit(draft), "REQUESTER")
                .id();
        Lists.RequestFilter byUnit = new Lists.RequestFilter(null, other.id(), null, null, null, null);
        assertThat(RunAs.user("mike", () -> lists.countRequests(byUnit), "MANAGER")).isZero();
        assertThat(RunAs.user("sara", () -> lists.countRequests(byUnit), "SECURITY")).isOne();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunAs.user("sara", () -> {
            try {
                return lists.exportRequests(byUnit, out);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }, "SECURITY");
        String csv = out.toString(StandardCharsets.UTF_8);
        assertThat(csv.lines()).hasSize(2);
        assertThat(csv).contains(id + ",PENDING_MANAGER,");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'REQUESTS_EXPORTED' and "
                + "actor = 'sara'", Long.class)).isPositive();

        Lists.AppFilter apps = new Lists.AppFilter(null, other.id(), null, null, Lists.AppSort.SPEND);
        assertThat(RunAs.user("alice", () -> lists.countApplications(apps), "REQUESTER")).isZero();
        assertThat(RunAs.user("bob", () -> lists.applications(apps, 0, 10), "REQUESTER")).singleElement()
                .satisfies(r -> assertThat(r.owner()).isEqualTo("bob"));
        assertThat(Lists.safe("=HYPERLINK(1)")).isEqualTo("'=HYPERLINK(1)");
    }
}
