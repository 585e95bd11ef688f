package db.migration.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Flyway migration 9 (a Java migration: it re-encodes bytes, which SQL does differently on H2 and PostgreSQL): every
 * sealed secret stored before the format byte existed gets byte 0, "the first format", in front, so the key module's
 * sealer reads old and new records alike. Nothing is decrypted; the wrapped data keys do not change. Found by Flyway
 * in its location {@code db/migration/common} (not a Spring bean, so every context that migrates the database, whole
 * application or one module, runs it), and frozen like any migration: it uses no application code.
 */
public class V9__FormatByteInSealedSecrets extends BaseJavaMigration {

    /** The sealer's format byte of records sealed before formats existed. */
    static final byte FORMAT_LEGACY = 0;

    @Override
    public void migrate(Context context) throws SQLException {
        prefixLegacyRecords(context.getConnection());
    }

    /** Returns how many records were given the format byte. */
    public static int prefixLegacyRecords(Connection connection) throws SQLException {
        record Row(long id, String sealed) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "select id, sealed_secret from api_key where sealed_secret is not null");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getLong(1), rs.getString(2)));
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "update api_key set sealed_secret = ? where id = ?")) {
            for (Row row : rows) {
                byte[] old = Base64.getDecoder().decode(row.sealed());
                byte[] withFormat = new byte[old.length + 1];
                withFormat[0] = FORMAT_LEGACY;
                System.arraycopy(old, 0, withFormat, 1, old.length);
                update.setString(1, Base64.getEncoder().encodeToString(withFormat));
                update.setLong(2, row.id());
                update.addBatch();
            }
            update.executeBatch();
        }
        return rows.size();
    }
}
