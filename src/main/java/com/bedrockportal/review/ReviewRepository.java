package com.bedrockportal.review;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** The rows of {@code access_review_campaign}, {@code access_review_unit} and {@code access_review_item}. */
@Repository
class ReviewRepository {

    private static final String UNIT_SELECT = """
            select u.*, c.deadline,
                (select count(*) from access_review_item i where i.unit_review_id = u.id and i.decision is not null)
                    as decided,
                (select count(*) from access_review_item i where i.unit_review_id = u.id) as total
            from access_review_unit u join access_review_campaign c on c.id = u.campaign_id""";

    private final JdbcClient jdbc;

    ReviewRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insertCampaign(AccessReviews.Trigger trigger, String by, Instant at, Instant deadline,
            AccessReviews.OnMissed onMissed) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into access_review_campaign (trigger_kind, started_by, started_at, deadline, on_missed, status)
                values (:trigger, :by, :at, :deadline, :missed, :status)""")
                .param("trigger", trigger.name()).param("by", by).param("at", at(at))
                .param("deadline", at(deadline)).param("missed", onMissed.name())
                .param("status", AccessReviews.CampaignStatus.OPEN.name()).update(keys, "id");
        return Objects.requireNonNull(keys.getKeyAs(Number.class), "no generated id").longValue();
    }

    long insertUnit(long campaignId, long unitId, String unitName) {
        jdbc.sql("""
                insert into access_review_unit (campaign_id, business_unit_id, unit_name, status)
                values (:c, :u, :name, :status)""")
                .param("c", campaignId).param("u", unitId).param("name", unitName)
                .param("status", AccessReviews.UnitStatus.OPEN.name()).update();
        return jdbc.sql("select id from access_review_unit where campaign_id = :c and business_unit_id = :u")
                .param("c", campaignId).param("u", unitId).query(Long.class).single();
    }

    void insertItem(long unitReviewId, long applicationId, String owner) {
        jdbc.sql("insert into access_review_item (unit_review_id, application_id, owner) values (:u, :a, :o)")
                .param("u", unitReviewId).param("a", applicationId).param("o", owner).update();
    }

    Optional<ReviewRecords.Campaign> campaign(long id) {
        return jdbc.sql("select * from access_review_campaign where id = :id").param("id", id)
                .query(ReviewRepository::campaign).optional();
    }

    List<ReviewRecords.Campaign> campaigns(int max) {
        return jdbc.sql("select * from access_review_campaign order by id desc limit :max").param("max", max)
                .query(ReviewRepository::campaign).list();
    }

    Optional<ReviewRecords.Campaign> openCampaign() {
        return jdbc.sql("select * from access_review_campaign where status = :s order by id desc limit 1")
                .param("s", AccessReviews.CampaignStatus.OPEN.name()).query(ReviewRepository::campaign).optional();
    }

    boolean closeCampaign(long id, Instant at) {
        return jdbc.sql("update access_review_campaign set status = :closed, closed_at = :at where id = :id "
                + "and status = :open").param("closed", AccessReviews.CampaignStatus.CLOSED.name())
                .param("open", AccessReviews.CampaignStatus.OPEN.name()).param("at", at(at)).param("id", id)
                .update() == 1;
    }

    Optional<ReviewRecords.UnitReview> unit(long id) {
        return jdbc.sql(UNIT_SELECT + " where u.id = :id").param("id", id).query(ReviewRepository::unit).optional();
    }

    List<ReviewRecords.UnitReview> unitsOf(long campaignId) {
        return jdbc.sql(UNIT_SELECT + " where u.campaign_id = :c order by u.unit_name, u.id").param("c", campaignId)
                .query(ReviewRepository::unit).list();
    }

    List<ReviewRecords.UnitReview> openUnits() {
        return jdbc.sql(UNIT_SELECT + " where u.status = :s order by c.deadline, u.unit_name")
                .param("s", AccessReviews.UnitStatus.OPEN.name()).query(ReviewRepository::unit).list();
    }

    /** Moves a unit's review from OPEN; false when it was not open any more. */
    boolean finishUnit(long id, AccessReviews.UnitStatus to, Instant at) {
        return jdbc.sql("update access_review_unit set status = :to, completed_at = :at where id = :id and status = :open")
                .param("to", to.name()).param("open", AccessReviews.UnitStatus.OPEN.name()).param("at", at(at))
                .param("id", id).update() == 1;
    }

    void reminded(long id, Instant at) {
        jdbc.sql("update access_review_unit set reminded_at = :at where id = :id").param("at", at(at)).param("id", id)
                .update();
    }

    Optional<ReviewRecords.Item> item(long id) {
        return jdbc.sql("select * from access_review_item where id = :id").param("id", id)
                .query(ReviewRepository::item).optional();
    }

    List<ReviewRecords.Item> items(long unitReviewId) {
        return jdbc.sql("select * from access_review_item where unit_review_id = :u order by id")
                .param("u", unitReviewId).query(ReviewRepository::item).list();
    }

    List<ReviewRecords.Item> itemsOfCampaign(long campaignId) {
        return jdbc.sql("""
                select i.* from access_review_item i join access_review_unit u on u.id = i.unit_review_id
                where u.campaign_id = :c order by u.unit_name, i.id""")
                .param("c", campaignId).query(ReviewRepository::item).list();
    }

    /**
     * Locks an item that is still undecided, until the transaction ends (a manager's decision waits for it, then finds
     * it decided); empty when it was decided already.
     */
    Optional<ReviewRecords.Item> lockUndecided(long itemId) {
        return jdbc.sql("select * from access_review_item where id = :id and decision is null for update")
                .param("id", itemId).query(ReviewRepository::item).optional();
    }

    /**
     * Records a decision on an undecided item; false when someone decided it first, or a revoke under way holds it:
     * {@code revokeToken} null, one renewed after {@code staleBefore} ({@link #claimRevoke}); else the decision is
     * that revoke's own and its token must still hold the item.
     */
    boolean decide(long itemId, AccessReviews.Decision decision, String comment, String by, Instant at,
            Instant staleBefore, String revokeToken) {
        return jdbc.sql("""
                update access_review_item set decision = :d, comment = :c, decided_by = :by, decided_at = :at,
                revoking_by = null, revoking_since = null, revoking_token = null
                where id = :id and decision is null and\s""" + (revokeToken == null ? NOT_HELD
                        : "revoking_token = :token"))
                .param("d", decision.name()).param("c", comment).param("by", by).param("at", at(at))
                .param("id", itemId).param("stale", at(staleBefore)).param("token", revokeToken).update() == 1;
    }

    /** No revoke under way holds the item: none, or one not renewed since {@code :stale} (its node stopped). */
    private static final String NOT_HELD = "(revoking_token is null or revoking_since < :stale)";

    /**
     * Marks an undecided item as being revoked by {@code by} (its keys are then revoked one by one, each in its own
     * transaction, before the decision is recorded): any other decision meanwhile is refused, the same user's in
     * another tab too. The revoke's token, or empty when the item is decided or another revoke holds it.
     */
    Optional<String> claimRevoke(long itemId, String by, Instant now, Instant staleBefore) {
        String token = java.util.UUID.randomUUID().toString();
        return jdbc.sql("update access_review_item set revoking_by = :by, revoking_since = :now, revoking_token = "
                + ":token where id = :id and decision is null and " + NOT_HELD).param("by", by)
                .param("now", at(now)).param("token", token).param("id", itemId).param("stale", at(staleBefore))
                .update() == 1 ? Optional.of(token) : Optional.empty();
    }

    /** Renews a revoke's hold after each key (a slow AWS must not let it lapse); false when it no longer holds. */
    boolean renewRevoke(long itemId, String token, Instant now) {
        return jdbc.sql("update access_review_item set revoking_since = :now where id = :id and revoking_token = "
                + ":token").param("now", at(now)).param("id", itemId).param("token", token).update() == 1;
    }

    /** Ends a revoke that did not finish (a key AWS would not revoke): others may decide. Only its own hold. */
    void releaseRevoke(long itemId, String token) {
        jdbc.sql("update access_review_item set revoking_by = null, revoking_since = null, revoking_token = null "
                + "where id = :id and revoking_token = :token").param("id", itemId).param("token", token).update();
    }

    private static ReviewRecords.Campaign campaign(ResultSet rs, int i) throws SQLException {
        return new ReviewRecords.Campaign(rs.getLong("id"), AccessReviews.Trigger.valueOf(rs.getString("trigger_kind")),
                rs.getString("started_by"), instant(rs, "started_at"), instant(rs, "deadline"),
                AccessReviews.OnMissed.valueOf(rs.getString("on_missed")),
                AccessReviews.CampaignStatus.valueOf(rs.getString("status")), instant(rs, "closed_at"));
    }

    private static ReviewRecords.UnitReview unit(ResultSet rs, int i) throws SQLException {
        return new ReviewRecords.UnitReview(rs.getLong("id"), rs.getLong("campaign_id"),
                rs.getLong("business_unit_id"), rs.getString("unit_name"),
                AccessReviews.UnitStatus.valueOf(rs.getString("status")), instant(rs, "reminded_at"),
                instant(rs, "completed_at"), instant(rs, "deadline"), rs.getInt("decided"), rs.getInt("total"));
    }

    private static ReviewRecords.Item item(ResultSet rs, int i) throws SQLException {
        String d = rs.getString("decision");
        return new ReviewRecords.Item(rs.getLong("id"), rs.getLong("unit_review_id"), rs.getLong("application_id"),
                rs.getString("owner"), d == null ? null : AccessReviews.Decision.valueOf(d), rs.getString("comment"),
                rs.getString("decided_by"), instant(rs, "decided_at"), rs.getString("revoking_by"),
                instant(rs, "revoking_since"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime at(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}
