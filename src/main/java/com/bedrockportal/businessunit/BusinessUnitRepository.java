package com.bedrockportal.businessunit;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.bedrockportal.shared.RowLocks;
import com.bedrockportal.shared.TransactionReads;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

@Repository
class BusinessUnitRepository {

    private record Row(long id, String slug, String displayName, String costCenter, String ownerEmail,
            BigDecimal budget, boolean archived, Instant createdAt, Instant updatedAt, int version,
            RotateEvery rotateEvery) {
    }

    private static final String READS = "business-unit";

    private final JdbcClient jdbc;
    private final RowLocks rowLocks;

    BusinessUnitRepository(JdbcClient jdbc, RowLocks rowLocks) {
        this.rowLocks = rowLocks;
        this.jdbc = jdbc;
    }

    List<BusinessUnit> findAll() {
        return withPeople(jdbc.sql("select * from business_unit where deleted_at is null order by display_name").query(BusinessUnitRepository::row)
                .list());
    }

    /** Read once per transaction ({@link TransactionReads}): a request's steps ask for its unit many times. */
    Optional<BusinessUnit> findById(long id) {
        return TransactionReads.get(READS, id, () -> withPeople(jdbc.sql("select * from business_unit where id = :id")
                .param("id", id).query(BusinessUnitRepository::row).list()).stream().findFirst());
    }

    /**
     * Locks the unit's row until the transaction ends (a save's update of the row waits, and waits for it); rows that
     * refer to the unit, such as a new key or request, can still be inserted meanwhile ({@link RowLocks}).
     */
    boolean lock(long id) {
        TransactionReads.forget(READS);
        return jdbc.sql("select id from business_unit where id = :id " + rowLocks.clause()).param("id", id)
                .query(Long.class).optional().isPresent();
    }

    Optional<BusinessUnit> findBySlug(String slug) {
        return withPeople(jdbc.sql("select * from business_unit where slug = :slug").param("slug", slug)
                .query(BusinessUnitRepository::row).list()).stream().findFirst();
    }

    /** Units where the user is a member or a manager. */
    List<BusinessUnit> findByPerson(String username) {
        return withPeople(jdbc.sql("""
                select * from business_unit where deleted_at is null and id in (
                    select business_unit_id from business_unit_member where username = :u
                    union select business_unit_id from business_unit_manager where username = :u)
                order by display_name""").param("u", username).query(BusinessUnitRepository::row).list());
    }

    long count() {
        return jdbc.sql("select count(*) from business_unit").query(Long.class).single();
    }

    long insert(BusinessUnitDraft d, Instant now) {
        TransactionReads.forget(READS);
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into business_unit (slug, display_name, cost_center, owner_email, default_monthly_budget,
                                           archived, created_at, updated_at, version, rotate_every)
                values (:slug, :name, :cost, :email, :budget, false, :now, :now, 0, :rotate)""")
                .param("rotate", rotateEvery(d).name())
                .param("slug", d.getSlug()).param("name", d.getDisplayName()).param("cost", d.getCostCenter())
                .param("email", d.getOwnerEmail()).param("budget", d.getDefaultMonthlyBudget())
                .param("now", now.atOffset(ZoneOffset.UTC)).update(keys, "id");
        long id = Objects.requireNonNull(keys.getKeyAs(Number.class), "no generated id").longValue();
        replacePeople(id, d.getManagers(), d.getMembers());
        return id;
    }

    /** @return false when the row changed since the draft was read (optimistic lock). */
    boolean update(BusinessUnitDraft d, Instant now) {
        TransactionReads.forget(READS);
        int rows = jdbc.sql("""
                update business_unit set display_name = :name, cost_center = :cost, owner_email = :email,
                       default_monthly_budget = :budget, rotate_every = :rotate, updated_at = :now,
                       version = version + 1
                where id = :id and version = :version""")
                .param("rotate", rotateEvery(d).name())
                .param("name", d.getDisplayName()).param("cost", d.getCostCenter()).param("email", d.getOwnerEmail())
                .param("budget", d.getDefaultMonthlyBudget()).param("now", now.atOffset(ZoneOffset.UTC))
                .param("id", d.getId()).param("version", d.getVersion()).update();
        if (rows == 0) {
            return false;
        }
        replacePeople(d.getId(), d.getManagers(), d.getMembers());
        return true;
    }

    void setArchived(long id, boolean archived, Instant now) {
        TransactionReads.forget(READS);
        jdbc.sql("update business_unit set archived = :a, updated_at = :now, version = version + 1 where id = :id")
                .param("a", archived).param("now", now.atOffset(ZoneOffset.UTC)).param("id", id).update();
    }

    /**
     * Whether other records (requests, keys, applications) name the unit: they are kept for the audit trail, so the
     * unit stays (archived) rather than being deleted under them.
     */
    boolean hasHistory(long id) {
        return jdbc.sql("""
                select (select count(*) from access_request where business_unit_id = :id)
                     + (select count(*) from api_key where business_unit_id = :id)
                     + (select count(*) from application where business_unit_id = :id)""")
                .param("id", id).query(Long.class).single() > 0;
    }

    /** Deleted, history kept: out of every list, nobody's unit any more; the row stays for the history naming it. */
    void markDeleted(long id, java.time.Instant now) {
        TransactionReads.forget(READS);
        jdbc.sql("delete from business_unit_manager where business_unit_id = :id").param("id", id).update();
        jdbc.sql("delete from business_unit_member where business_unit_id = :id").param("id", id).update();
        jdbc.sql("update business_unit set deleted_at = :now, archived = true where id = :id")
                .param("now", now.atOffset(java.time.ZoneOffset.UTC)).param("id", id).update();
    }

    void delete(long id) {
        TransactionReads.forget(READS);
        jdbc.sql("delete from business_unit where id = :id").param("id", id).update();
    }

    private void replacePeople(long id, Collection<String> managers, Collection<String> members) {
        jdbc.sql("delete from business_unit_manager where business_unit_id = :id").param("id", id).update();
        jdbc.sql("delete from business_unit_member where business_unit_id = :id").param("id", id).update();
        for (String m : new TreeSet<>(managers)) {
            jdbc.sql("insert into business_unit_manager (business_unit_id, username) values (:id, :u)")
                    .param("id", id).param("u", m).update();
        }
        for (String m : new TreeSet<>(members)) {
            jdbc.sql("insert into business_unit_member (business_unit_id, username) values (:id, :u)")
                    .param("id", id).param("u", m).update();
        }
    }

    private List<BusinessUnit> withPeople(List<Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Long> ids = rows.stream().map(Row::id).toList();
        Map<Long, Set<String>> managers = people("business_unit_manager", ids);
        Map<Long, Set<String>> members = people("business_unit_member", ids);
        return rows.stream().map(r -> new BusinessUnit(r.id, r.slug, r.displayName, r.costCenter, r.ownerEmail,
                r.budget, r.archived, managers.getOrDefault(r.id, Set.of()), members.getOrDefault(r.id, Set.of()),
                r.createdAt, r.updatedAt, r.version, r.rotateEvery)).toList();
    }

    /** Managers or members of just these units (not of every unit). */
    private Map<Long, Set<String>> people(String table, List<Long> ids) {
        Map<Long, Set<String>> result = new HashMap<>();
        jdbc.sql("select business_unit_id, username from " + table + " where business_unit_id in (:ids)")
                .param("ids", ids).query((rs, i) -> {
            result.computeIfAbsent(rs.getLong(1), k -> new TreeSet<>()).add(rs.getString(2));
            return null;
        }).list();
        return result;
    }

    private static Row row(ResultSet rs, int i) throws SQLException {
        return new Row(rs.getLong("id"), rs.getString("slug"), rs.getString("display_name"), rs.getString("cost_center"),
                rs.getString("owner_email"), rs.getBigDecimal("default_monthly_budget"), rs.getBoolean("archived"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(), rs.getInt("version"),
                RotateEvery.parse(rs.getString("rotate_every")).orElse(RotateEvery.UNIT_DEFAULT));
    }

    private static RotateEvery rotateEvery(BusinessUnitDraft d) {
        return d.getRotateEvery() == null ? RotateEvery.UNIT_DEFAULT : d.getRotateEvery();
    }
}
