package db.migration.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Flyway migration 11.1: before applications, a business unit had one IAM user ({@code {unit}-bedrock-user}) that
 * every provisioned request of the unit rewrote. Each unit with keys becomes one application, slug
 * {@value #LEGACY_SLUG}, that keeps the AWS names it already has — the IAM user its keys were created under, the
 * budget the provisioning steps recorded, the secret its keys were copied to — read from the records, never derived
 * from the slug. Its approved access is that of the request provisioned last (whose policy is the one in AWS). Its
 * requests and keys point to it. Requests still on their way (submitted before this migration) are given the same
 * slug, so they change that application, as they would have changed the unit's user. Nothing in AWS is touched.
 */
public class V11_1__UnitKeysBecomeApplications extends BaseJavaMigration {

    /** The slug of a unit's application made from its keys of before applications. */
    public static final String LEGACY_SLUG = "unit-key";
    static final String LEGACY_NAME = "Unit key (before applications)";

    @Override
    public void migrate(Context context) throws SQLException {
        migrate(context.getConnection(), Instant.now());
    }

    /** Returns how many applications were created. */
    public static int migrate(Connection c, Instant now) throws SQLException {
        record Latest(long unitId, long requestId, String iamUser) {
        }
        List<Latest> units = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select k.business_unit_id, k.request_id, k.iam_user from api_key k
                where k.id = (select max(k2.id) from api_key k2 where k2.business_unit_id = k.business_unit_id)
                order by k.business_unit_id""");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                units.add(new Latest(rs.getLong(1), rs.getLong(2), rs.getString(3)));
            }
        }
        for (Latest unit : units) {
            long applicationId = insertApplication(c, unit.unitId(), unit.requestId(), unit.iamUser(),
                    budgetName(c, unit.unitId()), secretName(c, unit.unitId()), now);
            try (PreparedStatement keys = c.prepareStatement(
                    "update api_key set application_id = ? where business_unit_id = ?")) {
                keys.setLong(1, applicationId);
                keys.setLong(2, unit.unitId());
                keys.executeUpdate();
            }
            try (PreparedStatement requests = c.prepareStatement("""
                    update access_request set application_id = ? where business_unit_id = ?
                    and (status = 'PROVISIONED' or id in (select request_id from api_key where business_unit_id = ?))""")) {
                requests.setLong(1, applicationId);
                requests.setLong(2, unit.unitId());
                requests.setLong(3, unit.unitId());
                requests.executeUpdate();
            }
        }
        // Requests not provisioned yet: the unit's (legacy-named) application is the one they change or create.
        try (PreparedStatement ps = c.prepareStatement("""
                update access_request set application_slug = ?, application_name = ?,
                    application_id = (select a.id from application a
                        where a.business_unit_id = access_request.business_unit_id and a.slug = ?)
                where application_id is null""")) {
            ps.setString(1, LEGACY_SLUG);
            ps.setString(2, LEGACY_NAME);
            ps.setString(3, LEGACY_SLUG);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                update access_request set application_slug = ?, application_name = ?
                where application_id is not null and application_slug is null""")) {
            ps.setString(1, LEGACY_SLUG);
            ps.setString(2, LEGACY_NAME);
            ps.executeUpdate();
        }
        return units.size();
    }

    private static long insertApplication(Connection c, long unitId, long requestId, String iamUser,
            String budgetName, String secretName, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into application (business_unit_id, slug, display_name, owner, owner_email, purpose,
                    data_classification, models, regions, source_cidrs, lifetime_days, monthly_budget,
                    alert_threshold, alert_emails, store_secret, iam_user, budget_name, secret_name, status,
                    created_by_request, created_at, updated_at)
                select business_unit_id, ?, ?, requester, owner_email, purpose, data_classification, models, regions,
                    source_cidrs, lifetime_days, monthly_budget, alert_threshold, alert_emails, store_secret, ?, ?, ?,
                    'ACTIVE', id, ?, ?
                from access_request where id = ?""", new String[] { "id" })) {
            Timestamp at = Timestamp.from(now);
            ps.setString(1, LEGACY_SLUG);
            ps.setString(2, LEGACY_NAME);
            ps.setString(3, iamUser);
            ps.setString(4, budgetName);
            ps.setString(5, secretName);
            ps.setTimestamp(6, at);
            ps.setTimestamp(7, at);
            ps.setLong(8, requestId);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no application created for unit " + unitId);
                }
                return keys.getLong(1);
            }
        }
    }

    /** The budget a provisioning step of the unit recorded: "budget NAME of …" or "budget NAME updated to …". */
    static String budgetName(Connection c, long unitId) throws SQLException {
        String detail = latestStepDetail(c, unitId, "BUDGET", "budget ");
        if (detail == null) {
            return null;
        }
        int end = detail.indexOf(' ', "budget ".length());
        return end < 0 ? detail.substring("budget ".length()) : detail.substring("budget ".length(), end);
    }

    /**
     * The secret the unit's keys were copied to: as the provisioning step recorded it ("stored in NAME"), else the
     * name in the ARN the key records ({@code …:secret:NAME-xxxxxx}).
     */
    static String secretName(Connection c, long unitId) throws SQLException {
        String detail = latestStepDetail(c, unitId, "SECRET", "stored in ");
        if (detail != null) {
            return detail.substring("stored in ".length()).strip();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select secret_arn from api_key where business_unit_id = ? and secret_arn is not null
                order by id desc""")) {
            ps.setLong(1, unitId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    String arn = rs.getString(1);
                    int at = arn.indexOf(":secret:");
                    if (at >= 0 && arn.length() > at + 8 + 7) {
                        return arn.substring(at + 8, arn.length() - 7); // AWS appends "-" and six characters
                    }
                }
            }
        }
        return null;
    }

    /** The detail of the unit's latest provisioning step of this kind that starts with {@code prefix}. */
    private static String latestStepDetail(Connection c, long unitId, String step, String prefix)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select s.detail from provisioning_step s join access_request r on r.id = s.request_id
                where r.business_unit_id = ? and s.step = ? order by s.done_at desc, s.request_id desc""")) {
            ps.setLong(1, unitId);
            ps.setString(2, step);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String detail = rs.getString(1);
                    if (detail != null && detail.startsWith(prefix)) {
                        return detail;
                    }
                }
            }
        }
        return null;
    }
}
