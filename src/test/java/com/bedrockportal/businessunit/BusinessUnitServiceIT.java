package com.bedrockportal.businessunit;

import java.math.BigDecimal;
import java.util.Set;
import java.util.UUID;

import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.testsupport.PostgresSupport;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@WithMockUser(username = "adam", roles = "ADMIN")
class BusinessUnitServiceIT extends PostgresSupport {

    @Autowired
    BusinessUnitService service;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void createsAUnitWithItsPeopleAndAuditsIt() {
        String slug = uniqueSlug();
        BusinessUnit unit = service.create(draft(slug));
        assertThat(unit.slug()).isEqualTo(slug);
        assertThat(BusinessUnit.iamUserPattern(unit.slug())).isEqualTo(slug + "-{application}-bedrock");
        assertThat(unit.managers()).containsExactly("mike");
        assertThat(unit.members()).containsExactlyInAnyOrder("alice", "mike");
        assertThat(jdbc.queryForObject(
                "select count(*) from audit_event where action = 'BU_CREATED' and target = ? and actor = 'adam'",
                Integer.class, "business-unit:" + slug)).isEqualTo(1);
        assertThat(service.unitsOf("alice")).extracting(BusinessUnit::slug).contains(slug);
    }

    @Test
    void aNewUnitsSlugLeavesRoomForItsApplications() {
        String slug = uniqueSlug() + "-" + "x".repeat(21); // 33 characters
        assertThatThrownBy(() -> service.create(draft(slug))).isInstanceOfSatisfying(FieldErrors.class,
                e -> assertThat(e.errors()).containsEntry("slug", "At most 32 characters for a new unit, so that its "
                        + "applications' IAM users {unit}-{application}-bedrock stay within 64."));
        assertThat(service.list(slug, true)).isEmpty();
    }

    @Test
    void aSecondUnitWithTheSameSlugIsRefusedOnTheSlugField() {
        String slug = uniqueSlug();
        service.create(draft(slug));
        assertThatThrownBy(() -> service.create(draft(slug))).isInstanceOfSatisfying(FieldErrors.class,
                e -> assertThat(e.errors()).containsOnlyKeys("slug"));
    }

    @Test
    void updateIsAuditedWithWhatChangedAndStaleEditsAreRefused() {
        BusinessUnit unit = service.create(draft(uniqueSlug()));
        BusinessUnitDraft edit = BusinessUnitDraft.of(unit);
        edit.setDefaultMonthlyBudget(new BigDecimal("900"));
        service.update(edit);
        assertThat(jdbc.queryForObject("select details from audit_event where action = 'BU_UPDATED' and target = ?",
                String.class, "business-unit:" + unit.slug())).contains("budget: 500.00 -> 900.00");

        BusinessUnitDraft stale = BusinessUnitDraft.of(unit);
        stale.setDisplayName("Stale edit");
        assertThatThrownBy(() -> service.update(stale)).isInstanceOfSatisfying(FieldErrors.class,
                e -> assertThat(e.errors().get("form")).contains("Someone else changed"));
    }

    @Test
    void aTransactionReadsItsUnitOnceAndStillSeesItsOwnChanges() {
        BusinessUnit unit = service.create(draft(uniqueSlug()));
        new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            BusinessUnit first = service.find(unit.id()).orElseThrow();
            jdbc.update("update business_unit set display_name = 'Changed behind the portal' where id = ?", unit.id());
            // Read once per transaction: what it read first, not a row another writer changed meanwhile.
            assertThat(service.find(unit.id()).orElseThrow().displayName()).isEqualTo(first.displayName());
            BusinessUnitDraft edit = BusinessUnitDraft.of(first);
            edit.setManagers(Set.of("nina"));
            edit.setDefaultMonthlyBudget(new BigDecimal("700"));
            BusinessUnit after = service.update(edit);
            // A write through the portal forgets what was read: the update's own result and every later read see it.
            assertThat(after.managers()).containsExactly("nina");
            assertThat(service.find(unit.id()).orElseThrow().defaultMonthlyBudget()).isEqualByComparingTo("700");
        });
        assertThat(jdbc.queryForObject("select details from audit_event where action = 'BU_UPDATED' and target = ?",
                String.class, "business-unit:" + unit.slug())).contains("budget: 500.00 -> 700.00");
        // A new transaction reads the row again.
        assertThat(service.find(unit.id()).orElseThrow().managers()).containsExactly("nina");
        assertThatThrownBy(() -> unit.managers().add("mallory")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void whenTheAuditRowCannotBeWrittenTheChangeIsNotSaved() {
        String slug = uniqueSlug();
        Integer before = jdbc.queryForObject("select count(*) from business_unit", Integer.class);
        jdbc.execute("alter table audit_event add constraint it_block_bu check (action <> 'BU_CREATED') not valid");
        try {
            assertThatThrownBy(() -> service.create(draft(slug)));
        } finally {
            jdbc.execute("alter table audit_event drop constraint it_block_bu");
        }
        assertThat(jdbc.queryForObject("select count(*) from business_unit", Integer.class)).isEqualTo(before);
        assertThat(jdbc.queryForObject("select count(*) from business_unit where slug = ?", Integer.class, slug))
                .isZero();
    }

    @Test
    void archivedUnitsAreNotOfferedToTheirMembers() {
        BusinessUnit unit = service.create(draft(uniqueSlug()));
        service.setArchived(unit.id(), true);
        assertThat(service.unitsOf("alice")).extracting(BusinessUnit::id).doesNotContain(unit.id());
        assertThat(service.list(unit.slug(), false)).isEmpty();
        assertThat(service.list(unit.slug(), true)).hasSize(1);
    }

    @Test
    void aUnitWhoseApplicationsAreAllDecommissionedIsDeletedAndItsHistoryKept() {
        BusinessUnit unit = service.create(draft(uniqueSlug()));
        long app = com.bedrockportal.testsupport.Fixtures.application(jdbc, unit, "old-app");
        assertThatThrownBy(() -> service.delete(unit.id())).isInstanceOfSatisfying(FieldErrors.class,
                e -> assertThat(e.errors().get("form")).contains("Application old-app"));

        jdbc.update("update application set status = 'DECOMMISSIONED' where id = ?", app);
        service.setArchived(unit.id(), true);
        service.delete(unit.id());
        assertThat(service.list(unit.slug(), true)).isEmpty();
        assertThat(service.unitsOf("alice")).extracting(BusinessUnit::id).doesNotContain(unit.id());
        // The history still names it: the application's row and the unit's are kept, and its slug stays taken.
        assertThat(service.find(unit.id())).isPresent();
        assertThat(jdbc.queryForObject("select count(*) from application where id = ?", Integer.class, app))
                .isEqualTo(1);
        assertThatThrownBy(() -> service.create(draft(unit.slug()))).isInstanceOf(FieldErrors.class);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'BU_DELETED' and target = ?",
                Integer.class, "business-unit:" + unit.slug())).isEqualTo(1);
    }

    @Test
    @WithMockUser(username = "alice", roles = "REQUESTER")
    void onlyAdminsChangeBusinessUnits() {
        assertThatThrownBy(() -> service.create(draft(uniqueSlug()))).isInstanceOf(AuthorizationDeniedException.class);
    }

    @Test
    void flywayRanBeforeCamundaOnPostgres() {
        assertThat(jdbc.queryForObject("select count(*) from flyway_schema_history where success", Integer.class))
                .isGreaterThanOrEqualTo(2);
        assertThat(jdbc.queryForObject(
                "select count(*) from information_schema.tables where lower(table_name) = 'act_ru_execution'",
                Integer.class)).isEqualTo(1);
    }

    static String uniqueSlug() {
        return "it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static BusinessUnitDraft draft(String slug) {
        BusinessUnitDraft d = new BusinessUnitDraft();
        d.setSlug(slug);
        d.setDisplayName("IT " + slug);
        d.setCostCenter("CC-IT");
        d.setOwnerEmail("owner@example.com");
        d.setDefaultMonthlyBudget(new BigDecimal("500"));
        d.setManagers(Set.of("mike"));
        d.setMembers(Set.of("alice", "mike"));
        return d;
    }
}
