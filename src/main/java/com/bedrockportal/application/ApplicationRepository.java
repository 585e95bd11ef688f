package com.bedrockportal.application;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.bedrockportal.shared.InLists;
import com.bedrockportal.shared.RowLocks;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

@Repository
class ApplicationRepository {

    private final JdbcClient jdbc;
    private final RowLocks rowLocks;

    ApplicationRepository(JdbcClient jdbc, RowLocks rowLocks) {
        this.jdbc = jdbc;
        this.rowLocks = rowLocks;
    }

    long insert(long unitId, String slug, String displayName, String owner, String ownerEmail, String purpose,
            String classification, Application.Access access, Application.AwsNames names, long requestId,
            Instant now) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into application (business_unit_id, slug, display_name, owner, owner_email, purpose,
                    data_classification, models, regions, source_cidrs, lifetime_days, monthly_budget,
                    alert_threshold, alert_emails, store_secret, iam_user, budget_name, secret_name, status,
                    created_by_request, created_at, updated_at)
                values (:unit, :slug, :name, :owner, :ownerEmail, :purpose, :classification, :models, :regions,
                    :cidrs, :lifetime, :budget, :threshold, :emails, :store, :iamUser, :budgetName, :secretName,
                    'ACTIVE', :request, :now, :now)""")
                .param("unit", unitId).param("slug", slug).param("name", displayName).param("owner", owner)
                .param("ownerEmail", ownerEmail).param("purpose", purpose).param("classification", classification)
                .param("models", join(access.models())).param("regions", join(access.regions()))
                .param("cidrs", join(access.sourceCidrs())).param("lifetime", access.lifetimeDays())
                .param("budget", access.monthlyBudget()).param("threshold", access.alertThreshold())
                .param("emails", join(access.alertEmails())).param("store", access.storeSecret())
                .param("iamUser", names.iamUser()).param("budgetName", names.budgetName())
                .param("secretName", names.secretName()).param("request", requestId).param("now", at(now))
                .update(keys, "id");
        return Objects.requireNonNull(keys.getKeyAs(Number.class), "no generated id").longValue();
    }

    void updateAccess(long id, Application.Access access, Instant now) {
        jdbc.sql("""
                update application set models = :models, regions = :regions, source_cidrs = :cidrs,
                    lifetime_days = :lifetime, monthly_budget = :budget, alert_threshold = :threshold,
                    alert_emails = :emails, store_secret = :store, updated_at = :now, version = version + 1
                where id = :id""")
                .param("models", join(access.models())).param("regions", join(access.regions()))
                .param("cidrs", join(access.sourceCidrs())).param("lifetime", access.lifetimeDays())
                .param("budget", access.monthlyBudget()).param("threshold", access.alertThreshold())
                .param("emails", join(access.alertEmails())).param("store", access.storeSecret())
                .param("now", at(now)).param("id", id).update();
    }

    /**
     * Keeps the application's access, owner e-mail and classification as they are now for a change request about to
     * touch AWS, with the request its tags name, the guardrail its policy requires and the policy recorded last (once:
     * a replayed step keeps the first).
     */
    void rememberBefore(long applicationId, long requestId, Long tagRequestId, String guardrailArn,
            Long appliedPolicyId, Instant now) {
        jdbc.sql("""
                insert into application_access_before (request_id, application_id, models, regions, source_cidrs,
                    lifetime_days, monthly_budget, alert_threshold, alert_emails, store_secret, owner_email,
                    data_classification, tag_request_id, guardrail_arn, applied_policy_id, budget_name, taken_at)
                select :request, id, models, regions, source_cidrs, lifetime_days, monthly_budget, alert_threshold,
                    alert_emails, store_secret, owner_email, data_classification, :tagRequest, :guardrail, :applied,
                    budget_name, :now
                from application where id = :app
                  and not exists (select 1 from application_access_before where request_id = :request)""")
                .param("request", requestId).param("app", applicationId).param("tagRequest", tagRequestId)
                .param("guardrail", guardrailArn).param("applied", appliedPolicyId).param("now", at(now)).update();
    }

    /** What a change request's application was before it, if it was kept. */
    Optional<ApplicationService.Before> before(long requestId) {
        return jdbc.sql("select * from application_access_before where request_id = :r").param("r", requestId)
                .query((rs, n) -> new ApplicationService.Before(requestId, rs.getLong("application_id"),
                        new Application.Access(split(rs.getString("models")), split(rs.getString("regions")),
                                split(rs.getString("source_cidrs")), rs.getInt("lifetime_days"),
                                rs.getBigDecimal("monthly_budget"), rs.getInt("alert_threshold"),
                                split(rs.getString("alert_emails")), rs.getBoolean("store_secret")),
                        rs.getString("owner_email"), rs.getString("data_classification"),
                        rs.getObject("tag_request_id", Long.class), rs.getString("guardrail_arn"),
                        rs.getObject("applied_policy_id", Long.class), rs.getString("budget_name"),
                        rs.getObject("restored_at") != null))
                .optional();
    }

    /** The display names of the applications of {@code ids}, read {@value InLists#MAX} at a time. */
    java.util.Map<Long, String> displayNames(java.util.Collection<Long> ids) {
        java.util.Map<Long, String> names = new java.util.HashMap<>();
        for (List<Long> chunk : InLists.chunks(ids)) {
            jdbc.sql("select id, display_name from application where id in (:ids)").param("ids", chunk)
                    .query((rs, n) -> names.put(rs.getLong(1), rs.getString(2))).list();
        }
        return names;
    }

    /** The active application whose IAM user (or role) is {@code iamUser}, if any. */
    Optional<Application> activeOfIamUser(String iamUser) {
        return jdbc.sql("select * from application where iam_user = :u and status = 'ACTIVE' fetch first 1 rows only")
                .param("u", iamUser).query(ApplicationRepository::map).optional();
    }

    /** How many active applications use 12-hour keys only ({@code true}) and how many long-term keys. */
    java.util.Map<Boolean, Integer> activeByShortTerm() {
        java.util.Map<Boolean, Integer> counts = new java.util.HashMap<>(java.util.Map.of(true, 0, false, 0));
        jdbc.sql("select short_term_only, count(*) from application where status = 'ACTIVE' group by short_term_only")
                .query((rs, n) -> counts.put(rs.getBoolean(1), rs.getInt(2))).list();
        return counts;
    }

    /** The active applications, long-term keys first, oldest first, at most {@code limit}. */
    List<Application> activeLongTermFirst(int limit) {
        return jdbc.sql("select * from application where status = 'ACTIVE' order by short_term_only, created_at, id "
                + "fetch first :limit rows only").param("limit", limit).query(ApplicationRepository::map).list();
    }

    /** Marks what was kept for the request as dealt with: put back, or left as it is (said why elsewhere). */
    void markRestored(long requestId, Instant now) {
        jdbc.sql("update application_access_before set restored_at = :now where request_id = :r and restored_at is null")
                .param("now", at(now)).param("r", requestId).update();
    }

    /** A change's owner e-mail and classification (its tags carry them). */
    void updateOwnerEmailAndClassification(long id, String ownerEmail, String classification, Instant now) {
        jdbc.sql("""
                update application set owner_email = :email, data_classification = :classification,
                    updated_at = :now, version = version + 1
                where id = :id and (owner_email <> :email or data_classification <> :classification)""")
                .param("email", ownerEmail).param("classification", classification).param("now", at(now))
                .param("id", id).update();
    }

    /** Records the budget and secret names an application gets once it first needs them (set once, never changed). */
    void fillMissingNames(long id, String budgetName, String secretName) {
        jdbc.sql("""
                update application set budget_name = coalesce(budget_name, :budget),
                    secret_name = coalesce(secret_name, :secret)
                where id = :id and (budget_name is null or secret_name is null)""")
                .param("budget", budgetName).param("secret", secretName).param("id", id).update();
    }

    /** 12-hour keys: the application uses short-term keys only (set once, when its request creates it). */
    void markShortTermOnly(long id) {
        jdbc.sql("update application set short_term_only = true where id = :id and short_term_only = false")
                .param("id", id).update();
    }

    Optional<Application> find(long id) {
        return jdbc.sql("select * from application where id = :id").param("id", id)
                .query(ApplicationRepository::map).optional();
    }

    /** The applications of these ids that exist, by id ({@code in} lists of {@value InLists#MAX}). */
    java.util.Map<Long, Application> findAll(Collection<Long> ids) {
        java.util.Map<Long, Application> found = new java.util.HashMap<>();
        for (List<Long> chunk : InLists.chunks(ids)) {
            jdbc.sql("select * from application where id in (:ids)").param("ids", chunk)
                    .query(ApplicationRepository::map).list().forEach(a -> found.put(a.id(), a));
        }
        return found;
    }

    Optional<Application> find(long unitId, String slug) {
        return jdbc.sql("select * from application where business_unit_id = :unit and slug = :slug")
                .param("unit", unitId).param("slug", slug).query(ApplicationRepository::map).optional();
    }

    Optional<String> ownerOfIamUser(String iamUser) {
        return jdbc.sql("select owner from application where iam_user = :u").param("u", iamUser).query(String.class)
                .optional();
    }

    boolean iamUserTaken(String iamUser) {
        return jdbc.sql("select count(*) from application where iam_user = :u").param("u", iamUser)
                .query(Integer.class).single() > 0;
    }

    List<Application> ofUnits(Collection<Long> unitIds) {
        return ofUnits(unitIds, 0, Integer.MAX_VALUE);
    }

    /** A unit's active applications by slug, at most {@code limit}. */
    List<Application> activeOfUnit(long unitId, int limit) {
        return jdbc.sql("select * from application where business_unit_id = :unit and status = 'ACTIVE' order by slug "
                + "fetch first :limit rows only").param("unit", unitId).param("limit", limit)
                .query(ApplicationRepository::map).list();
    }

    /** A page of the units' applications, by unit and slug. */
    List<Application> ofUnits(Collection<Long> unitIds, int offset, int limit) {
        if (unitIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select * from application where business_unit_id in (:units) order by business_unit_id, slug "
                + "limit :limit offset :offset").param("units", unitIds).param("limit", limit).param("offset", offset)
                .query(ApplicationRepository::map).list();
    }

    /** The units' applications created before {@code before}, by unit and slug, at most {@code limit}. */
    List<Application> ofUnitsCreatedBefore(Collection<Long> unitIds, Instant before, int limit) {
        if (unitIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select * from application where business_unit_id in (:units) and created_at < :before "
                + "order by business_unit_id, slug fetch first :limit rows only").param("units", unitIds)
                .param("before", at(before)).param("limit", limit).query(ApplicationRepository::map).list();
    }

    int countOfUnitsCreatedBefore(Collection<Long> unitIds, Instant before) {
        if (unitIds.isEmpty()) {
            return 0;
        }
        return jdbc.sql("select count(*) from application where business_unit_id in (:units) and created_at < :before")
                .param("units", unitIds).param("before", at(before)).query(Integer.class).single();
    }

    /** The active applications whose id is above {@code afterId}, in id order, at most {@code limit}. */
    List<Application> activeAfter(long afterId, int limit) {
        return jdbc.sql("select * from application where status = 'ACTIVE' and id > :after order by id "
                + "fetch first :limit rows only").param("after", afterId).param("limit", limit)
                .query(ApplicationRepository::map).list();
    }

    /**
     * A page of the active applications whose slug or IAM user name matches {@code pattern} (a
     * {@link com.bedrockportal.shared.SqlConditions#containing} pattern), oldest first.
     */
    List<Application> activeMatching(String pattern, int offset, int limit) {
        return jdbc.sql("""
                select * from application where status = 'ACTIVE'
                and (lower(slug) like :f escape '\\' or lower(iam_user) like :f escape '\\')
                order by id offset :offset rows fetch next :limit rows only""").param("f", pattern)
                .param("offset", offset).param("limit", limit).query(ApplicationRepository::map).list();
    }

    int countActive() {
        return jdbc.sql("select count(*) from application where status = 'ACTIVE'").query(Integer.class).single();
    }

    /** The distinct budget names the active applications record, oldest application first, at most {@code limit}. */
    List<String> activeBudgetNames(int limit) {
        return jdbc.sql("""
                select budget_name from application where status = 'ACTIVE' and budget_name is not null
                group by budget_name order by min(id) fetch first :limit rows only""")
                .param("limit", limit).query(String.class).list();
    }

    int countActiveBudgetNames() {
        return jdbc.sql("select count(distinct budget_name) from application where status = 'ACTIVE'")
                .query(Integer.class).single();
    }

    /** How many of these budget names an active application records. */
    int countActiveBudgetNamesAmong(Collection<String> names) {
        int count = 0;
        for (List<String> chunk : InLists.chunks(names)) {
            count += jdbc.sql("select count(distinct budget_name) from application where status = 'ACTIVE' "
                    + "and budget_name in (:names)").param("names", chunk).query(Integer.class).single();
        }
        return count;
    }

    /** The slugs of the active applications that record no budget, oldest first, at most {@code limit}. */
    List<String> activeWithoutBudget(int limit) {
        return jdbc.sql("select slug from application where status = 'ACTIVE' and budget_name is null order by id "
                + "fetch first :limit rows only").param("limit", limit).query(String.class).list();
    }

    int countActiveWithoutBudget() {
        return jdbc.sql("select count(*) from application where status = 'ACTIVE' and budget_name is null")
                .query(Integer.class).single();
    }

    /** Of these IAM user (or role) names, those an application records, whatever its state. */
    java.util.Set<String> recordingIamUsers(Collection<String> names) {
        java.util.Set<String> recorded = new java.util.HashSet<>();
        for (List<String> chunk : InLists.chunks(names)) {
            recorded.addAll(jdbc.sql("select iam_user from application where iam_user in (:names)")
                    .param("names", chunk).query(String.class).list());
        }
        return recorded;
    }

    /** A page of all applications, by unit and slug. */
    List<Application> all(int offset, int limit) {
        return jdbc.sql("select * from application order by business_unit_id, slug limit :limit offset :offset")
                .param("limit", limit).param("offset", offset).query(ApplicationRepository::map).list();
    }

    private static Application map(ResultSet rs, int row) throws SQLException {
        Application.Access access = new Application.Access(split(rs.getString("models")),
                split(rs.getString("regions")), split(rs.getString("source_cidrs")), rs.getInt("lifetime_days"),
                rs.getBigDecimal("monthly_budget"), rs.getInt("alert_threshold"), split(rs.getString("alert_emails")),
                rs.getBoolean("store_secret"));
        Application.AwsNames names = new Application.AwsNames(rs.getString("iam_user"), rs.getString("budget_name"),
                rs.getString("secret_name"));
        Long createdBy = rs.getObject("created_by_request", Long.class);
        return new Application(rs.getLong("id"), rs.getLong("business_unit_id"), rs.getString("slug"),
                rs.getString("display_name"), rs.getString("owner"), rs.getString("owner_email"),
                rs.getString("purpose"), rs.getString("data_classification"), access, names,
                Application.Status.valueOf(rs.getString("status")), createdBy,
                instant(rs, "created_at"), instant(rs, "updated_at"), rs.getInt("version"),
                rs.getBoolean("short_term_only"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static List<String> split(String csv) {
        return csv == null || csv.isBlank() ? List.of() : Arrays.stream(csv.split(",")).map(String::strip).toList();
    }

    private static String join(List<String> values) {
        return String.join(",", values);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    // --- ownership handover, purpose, owner leaves, unit-wide budget (issue 10, owners)

    /**
     * The application, its row locked until the caller's transaction ends (two handovers run one after the other);
     * rows that refer to it can still be inserted meanwhile ({@link RowLocks}).
     */
    Optional<Application> lock(long id) {
        return jdbc.sql("select * from application where id = :id " + rowLocks.clause()).param("id", id)
                .query(ApplicationRepository::map).optional();
    }

    /** A new owner: clears the orphan flag. */
    void changeOwner(long id, String owner, String ownerEmail, Instant now) {
        jdbc.sql("""
                update application set owner = :owner, owner_email = :email, orphaned_at = null,
                    orphaned_owner = null, orphan_keys_disabled_at = null, updated_at = :now, version = version + 1
                where id = :id""")
                .param("owner", owner).param("email", ownerEmail).param("now", at(now)).param("id", id).update();
    }

    void changePurpose(long id, String purpose, Instant now) {
        jdbc.sql("update application set purpose = :p, updated_at = :now, version = version + 1 where id = :id")
                .param("p", purpose).param("now", at(now)).param("id", id).update();
    }

    /** Flags the unit's active applications owned by these people (not flagged yet); returns their ids. */
    List<Long> flagOrphans(long unitId, Collection<String> owners, Instant now) {
        if (owners.isEmpty()) {
            return List.of();
        }
        List<Long> ids = jdbc.sql("""
                select id from application where business_unit_id = :unit and owner in (:owners)
                    and status = 'ACTIVE' and orphaned_at is null order by id""")
                .param("unit", unitId).param("owners", owners).query(Long.class).list();
        // The select's conditions again: a handover committed in between leaves the new owner's application alone.
        return ids.stream().filter(id -> jdbc.sql("""
                update application set orphaned_at = :now, orphaned_owner = owner where id = :id
                    and owner in (:owners) and status = 'ACTIVE' and orphaned_at is null""")
                .param("now", at(now)).param("id", id).param("owners", owners).update() == 1).toList();
    }

    /** Clears the flag of the unit's applications whose owner is back in the unit; returns the flags cleared. */
    List<ApplicationOwners.Orphan> unflagOrphans(long unitId, Collection<String> owners) {
        if (owners.isEmpty()) {
            return List.of();
        }
        List<ApplicationOwners.Orphan> flags = jdbc.sql("""
                select * from application where business_unit_id = :unit and owner in (:owners)
                    and orphaned_at is not null order by id""")
                .param("unit", unitId).param("owners", owners).query(ApplicationRepository::orphan).list();
        // The update repeats the select's condition: of two clearing the same flag at once, one clears it.
        return flags.stream().filter(flag -> jdbc.sql("""
                update application set orphaned_at = null, orphaned_owner = null, orphan_keys_disabled_at = null
                where id = :id and orphaned_at is not null""").param("id", flag.application().id()).update() == 1)
                .toList();
    }

    /** The orphan flag of an application, if it has one. */
    Optional<ApplicationOwners.Orphan> orphan(long id) {
        return jdbc.sql("select * from application where id = :id and orphaned_at is not null").param("id", id)
                .query(ApplicationRepository::orphan).optional();
    }

    /** Flagged active applications of these units, oldest flag first. */
    List<ApplicationOwners.Orphan> orphansOf(Collection<Long> unitIds, int limit) {
        if (unitIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                select * from application where business_unit_id in (:units) and orphaned_at is not null
                    and status = 'ACTIVE' order by orphaned_at, id fetch first :limit rows only""")
                .param("units", unitIds).param("limit", limit).query(ApplicationRepository::orphan).list();
    }

    int countOrphansOf(Collection<Long> unitIds) {
        if (unitIds.isEmpty()) {
            return 0;
        }
        return jdbc.sql("""
                select count(*) from application where business_unit_id in (:units) and orphaned_at is not null
                    and status = 'ACTIVE'""").param("units", unitIds).query(Integer.class).single();
    }

    /** Active applications flagged before {@code cutoff} whose keys were not disabled for it yet. */
    List<ApplicationOwners.Orphan> orphansFlaggedBefore(Instant cutoff) {
        return jdbc.sql("""
                select * from application where orphaned_at is not null and orphaned_at <= :cutoff
                    and orphan_keys_disabled_at is null and status = 'ACTIVE' order by orphaned_at, id""")
                .param("cutoff", at(cutoff)).query(ApplicationRepository::orphan).list();
    }

    /** @return false when the application was handed over (or its keys handled) meanwhile. */
    boolean markOrphanKeysDisabled(long id, Instant now) {
        return jdbc.sql("""
                update application set orphan_keys_disabled_at = :now
                where id = :id and orphaned_at is not null and orphan_keys_disabled_at is null""")
                .param("now", at(now)).param("id", id).update() == 1;
    }

    /** The unit's applications that record this budget name (the unit-wide budget's, before applications). */
    List<Application> recordingBudget(long unitId, String budgetName) {
        return jdbc.sql("select * from application where business_unit_id = :unit and budget_name = :b order by id")
                .param("unit", unitId).param("b", budgetName).query(ApplicationRepository::map).list();
    }

    /** Applications of other units whose budget has this name (slugs joined with "-" can make the same name). */
    List<Application> recordingBudgetElsewhere(long unitId, String budgetName) {
        return jdbc.sql("select * from application where business_unit_id <> :unit and budget_name = :b order by id "
                + "fetch first 1 rows only").param("unit", unitId).param("b", budgetName)
                .query(ApplicationRepository::map).list();
    }

    void changeBudgetName(long id, String budgetName, Instant now) {
        jdbc.sql("update application set budget_name = :b, updated_at = :now, version = version + 1 where id = :id")
                .param("b", budgetName).param("now", at(now)).param("id", id).update();
    }

    private static ApplicationOwners.Orphan orphan(ResultSet rs, int row) throws SQLException {
        return new ApplicationOwners.Orphan(map(rs, row), rs.getString("orphaned_owner"), instant(rs, "orphaned_at"),
                instant(rs, "orphan_keys_disabled_at"));
    }

    // --- scheduled rotation (issue 11, expiry watch)

    /** The application's own rotation setting as stored: null when it follows its unit's default. */
    Optional<String> ownRotateEvery(long id) {
        return jdbc.sql("select rotate_every from application where id = :id").param("id", id)
                .query((rs, i) -> Optional.ofNullable(rs.getString(1))).optional().flatMap(o -> o);
    }

    /** How the application's rotations hand over the new key, as stored ({@code REVEAL} unless set). */
    String rotationDelivery(long id) {
        return jdbc.sql("select rotation_delivery from application where id = :id").param("id", id)
                .query(String.class).optional().orElse(RotationSchedules.Delivery.REVEAL.name());
    }

    /**
     * Sets the application's own rotation setting (null: follow the unit's default again) and how its rotations hand
     * over the new key.
     */
    void changeRotation(long id, String rotateEvery, String delivery, Instant now) {
        jdbc.sql("""
                update application set rotate_every = :r, rotation_delivery = :d, updated_at = :now,
                       version = version + 1
                where id = :id""")
                .param("r", rotateEvery).param("d", delivery).param("now", at(now)).param("id", id).update();
    }

    /**
     * ACTIVE applications' own settings (may be null) with their units' defaults, by application id: the first
     * {@code limit} whose id is above {@code afterId}.
     */
    List<RotationSchedules.Schedule> activeSchedules(long afterId, int limit) {
        return jdbc.sql("""
                select a.id, a.rotate_every as own, b.rotate_every as unit_default, a.rotation_delivery,
                       a.store_secret
                from application a join business_unit b on b.id = a.business_unit_id
                where a.status = 'ACTIVE' and a.id > :after order by a.id
                fetch first :limit rows only""")
                .param("after", afterId).param("limit", limit)
                .query((rs, i) -> RotationSchedules.Schedule.of(rs.getLong("id"), rs.getString("own"),
                        rs.getString("unit_default"), rs.getString("rotation_delivery"),
                        rs.getBoolean("store_secret")))
                .list();
    }
}
