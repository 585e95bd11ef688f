package com.bedrockportal.request;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

@Repository
class RequestRepository {

    private final JdbcClient jdbc;

    RequestRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** How many rows {@code submission_lock} holds (V52): the claims a submission takes are spread over them. */
    static final int CLAIM_STRIPES = 64;

    /**
     * Holds, until the caller's transaction ends, the rows of {@code submission_lock} these claims fall on
     * ({@link #stripeOf}), in ascending order: two submissions that claim the same run one after the other on any node,
     * and never wait for each other in a circle. Two claims that fall on one row by chance wait too: a short wait,
     * never a wrong answer. Null claims are skipped.
     */
    void holdClaims(java.util.Collection<String> claims) {
        claims.stream().filter(java.util.Objects::nonNull).map(RequestRepository::stripeOf).distinct().sorted()
                .forEach(stripe -> jdbc.sql("select stripe from submission_lock where stripe = :stripe for update")
                        .param("stripe", stripe).query(Integer.class).single());
    }

    /** The claim's row: its {@link String#hashCode} (the same on every node and JVM) modulo {@link #CLAIM_STRIPES}. */
    static int stripeOf(String claim) {
        return Math.floorMod(claim.hashCode(), CLAIM_STRIPES);
    }

    /** {@code securityReview}: the rules' verdict, or more (a change that removes or replaces the guardrail). */
    long insert(RequestRules.Valid v, boolean securityReview, String requester, String submissionKey, Instant now) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into access_request (business_unit_id, requester, purpose, models, regions, source_cidrs,
                    lifetime_days, monthly_budget, alert_threshold, alert_emails, store_secret, owner_email,
                    data_classification, status, submission_key, created_at, updated_at, application_slug,
                    application_name, application_id, kind, new_key, security_review, base_models, base_regions,
                    base_source_cidrs, base_lifetime_days, base_monthly_budget, base_store_secret,
                    base_data_classification, renewal)
                values (:bu, :requester, :purpose, :models, :regions, :cidrs, :lifetime, :budget, :threshold, :emails,
                    :store, :owner, :classification, :status, :key, :now, :now, :appSlug, :appName, :appId, :kind,
                    :newKey, :security, :baseModels, :baseRegions, :baseCidrs, :baseLifetime, :baseBudget,
                    :baseStore, :baseClassification, :renewal)""")
                .param("renewal", v.renewal())
                .param("bu", v.unit().id()).param("appSlug", v.applicationSlug())
                .param("appName", v.applicationName()).param("requester", requester).param("purpose", v.purpose())
                .param("appId", v.applicationId()).param("kind", v.kind().name()).param("newKey", v.newKey())
                .param("security", securityReview)
                .param("baseModels", v.baseline() == null ? null : String.join(",", v.baseline().models()))
                .param("baseRegions", v.baseline() == null ? null : String.join(",", v.baseline().regions()))
                .param("baseCidrs", v.baseline() == null ? null : String.join(",", v.baseline().sourceCidrs()))
                .param("baseLifetime", v.baseline() == null ? null : v.baseline().lifetimeDays())
                .param("baseBudget", v.baseline() == null ? null : v.baseline().monthlyBudget())
                .param("baseStore", v.baseline() == null ? null : v.baseline().storeSecret())
                .param("baseClassification", v.baseline() == null ? null
                        : v.baseline().dataClassification().name())
                .param("models", String.join(",", v.models().stream().map(m -> m.modelId()).toList()))
                .param("regions", String.join(",", v.regions())).param("cidrs", String.join(",", v.sourceCidrs()))
                .param("lifetime", v.lifetimeDays()).param("budget", v.monthlyBudget())
                .param("threshold", v.alertThreshold()).param("emails", String.join(",", v.alertEmails()))
                .param("store", v.storeSecret()).param("owner", v.ownerEmail())
                .param("classification", v.classification().name())
                .param("status", RequestStatus.PENDING_MANAGER.name()).param("key", submissionKey)
                .param("now", at(now)).update(keys, "id");
        return Objects.requireNonNull(keys.getKeyAs(Number.class), "no generated id").longValue();
    }

    boolean laterChangeUnderWay(long applicationId, long requestId) {
        return jdbc.sql("""
                select count(*) from access_request where application_id = :app and id > :id and kind = 'CHANGE'
                  and status in ('APPROVED', 'PROVISIONING', 'PROVISIONED')""")
                .param("app", applicationId).param("id", requestId).query(Integer.class).single() > 0;
    }

    /** The requests of {@code ids} that exist (one statement). */
    List<AccessRequest> findAll(java.util.Collection<Long> ids) {
        return ids.isEmpty() ? List.of() : jdbc.sql("select * from access_request where id in (:ids)")
                .param("ids", ids).query(RequestRepository::map).list();
    }

    Optional<AccessRequest> find(long id) {
        return jdbc.sql("select * from access_request where id = :id").param("id", id).query(RequestRepository::map)
                .optional();
    }

    /** Locks the request's row until the transaction ends; concurrent deciders queue here. */
    void lock(long id) {
        jdbc.sql("select id from access_request where id = :id for update").param("id", id).query(Long.class).list();
    }

    Optional<AccessRequest> findBySubmissionKey(String key) {
        return jdbc.sql("select * from access_request where submission_key = :k").param("k", key)
                .query(RequestRepository::map).optional();
    }

    /** A requester's requests, newest first, a page of them; {@code status} null: any. */
    List<AccessRequest> byRequester(String requester, RequestStatus status, int offset, int limit) {
        return jdbc.sql("select * from access_request where requester = :r"
                + (status == null ? "" : " and status = :s") + " order by id desc offset :o rows fetch next :l rows only")
                .param("r", requester).param("s", status == null ? "" : status.name()).param("o", offset)
                .param("l", limit).query(RequestRepository::map).list();
    }

    int countByRequester(String requester) {
        return jdbc.sql("select count(*) from access_request where requester = :r").param("r", requester)
                .query(Integer.class).single();
    }

    /** The requests that created or changed an application, oldest first, at most {@code limit}. */
    List<AccessRequest> ofApplication(long applicationId, int limit) {
        return jdbc.sql("select * from access_request where application_id = :app order by id limit :limit")
                .param("app", applicationId).param("limit", limit).query(RequestRepository::map).list();
    }

    List<AccessRequest> byBusinessUnitAndStatus(long businessUnitId, RequestStatus status) {
        return jdbc.sql("select * from access_request where business_unit_id = :bu and status = :s order by id")
                .param("bu", businessUnitId).param("s", status.name()).query(RequestRepository::map).list();
    }

    /** Whether an open request (not decided against, application not created yet) asks for this slug in the unit. */
    boolean slugRequested(long unitId, String slug) {
        return jdbc.sql("""
                select count(*) from access_request where business_unit_id = :bu and application_slug = :slug
                and application_id is null and status in (:open)""")
                .param("bu", unitId).param("slug", slug).param("open", OPEN).query(Integer.class).single() > 0;
    }

    /** Whether an open request of any unit asks for an application whose IAM user would have this name. */
    boolean iamUserRequested(String iamUser) {
        return jdbc.sql("""
                select count(*) from access_request r join business_unit u on u.id = r.business_unit_id
                where r.application_id is null and r.status in (:open)
                and u.slug || '-' || r.application_slug || '-bedrock' = :user""")
                .param("open", OPEN).param("user", iamUser).query(Integer.class).single() > 0;
    }

    /** Whether a request for this application is waiting for a decision or being provisioned. */
    boolean openRequestFor(long applicationId) {
        return jdbc.sql("select count(*) from access_request where application_id = :app and status in (:open)")
                .param("app", applicationId).param("open", OPEN).query(Integer.class).single() > 0;
    }

    /** The application's open request (newest), if any: what blocks another change of it. */
    Optional<AccessRequest> openRequestOf(long applicationId) {
        return jdbc.sql("""
                select * from access_request where application_id = :app and status in (:open)
                order by id desc limit 1""")
                .param("app", applicationId).param("open", OPEN).query(RequestRepository::map).optional();
    }

    /** 12-hour keys: the request's application uses short-term keys only (set once, at submission). */
    void markShortTermOnly(long requestId) {
        jdbc.sql("update access_request set short_term_only = true where id = :id").param("id", requestId).update();
    }

    void linkApplication(long requestId, long applicationId) {
        jdbc.sql("update access_request set application_id = :app where id = :id and application_id is null")
                .param("app", applicationId).param("id", requestId).update();
    }

    /** States in which a request may still create its application. */
    private static final List<String> OPEN = List.of(RequestStatus.PENDING_MANAGER.name(),
            RequestStatus.PENDING_SECURITY.name(), RequestStatus.APPROVED.name(), RequestStatus.PROVISIONING.name());

    /** Moves the status only from one of the expected states; returns false when it had moved on meanwhile. */
    boolean transition(long id, List<RequestStatus> from, RequestStatus to, Instant now) {
        return jdbc.sql("""
                update access_request set status = :to, updated_at = :now, version = version + 1
                where id = :id and status in (:from)""")
                .param("to", to.name()).param("now", at(now)).param("id", id)
                .param("from", from.stream().map(Enum::name).toList()).update() == 1;
    }

    void addEvent(long requestId, Instant at, String actor, String type, String comment) {
        jdbc.sql("""
                insert into request_event (request_id, occurred_at, actor, type, comment)
                values (:id, :at, :actor, :type, :comment)""")
                .param("id", requestId).param("at", at(at)).param("actor", actor).param("type", type)
                .param("comment", comment).update();
    }

    List<TimelineEntry> timeline(long requestId) {
        return jdbc.sql("select * from request_event where request_id = :id order by occurred_at, id")
                .param("id", requestId)
                .query((rs, i) -> new TimelineEntry(rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                        rs.getString("actor"), rs.getString("type"), rs.getString("comment")))
                .list();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static List<String> list(String csv) {
        return csv == null || csv.isBlank() ? List.of() : Arrays.asList(csv.split(","));
    }

    private static AccessRequest map(ResultSet rs, int i) throws SQLException {
        return new AccessRequest(rs.getLong("id"), rs.getLong("business_unit_id"), rs.getString("requester"),
                rs.getString("purpose"), list(rs.getString("models")), list(rs.getString("regions")),
                list(rs.getString("source_cidrs")), rs.getInt("lifetime_days"), rs.getBigDecimal("monthly_budget"),
                rs.getInt("alert_threshold"), list(rs.getString("alert_emails")), rs.getBoolean("store_secret"),
                rs.getString("owner_email"), DataClassification.valueOf(rs.getString("data_classification")),
                RequestStatus.valueOf(rs.getString("status")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(), applicationId(rs),
                rs.getString("application_slug"), rs.getString("application_name"),
                AccessRequest.Kind.valueOf(rs.getString("kind")), rs.getBoolean("new_key"),
                rs.getBoolean("security_review"), baseline(rs), rs.getBoolean("renewal"),
                rs.getBoolean("short_term_only"));
    }

    private static AccessRequest.Baseline baseline(ResultSet rs) throws SQLException {
        if (rs.getString("base_data_classification") == null) {
            return null;
        }
        return new AccessRequest.Baseline(list(rs.getString("base_models")), list(rs.getString("base_regions")),
                list(rs.getString("base_source_cidrs")), rs.getInt("base_lifetime_days"),
                rs.getBigDecimal("base_monthly_budget"), rs.getBoolean("base_store_secret"),
                DataClassification.valueOf(rs.getString("base_data_classification")));
    }

    private static Long applicationId(ResultSet rs) throws SQLException {
        long id = rs.getLong("application_id");
        return rs.wasNull() ? null : id;
    }
}
