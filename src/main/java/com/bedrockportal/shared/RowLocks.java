package com.bedrockportal.shared;

import java.sql.DatabaseMetaData;
import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Component;

/**
 * The row lock a repository takes to serialise the writers of a row (an application, a unit): on PostgreSQL
 * {@code for no key update}, which serialises the lockers and an {@code update} of the row as {@code for update} does,
 * but lets other transactions insert rows that refer to it meanwhile (a foreign key takes a key-share lock, which
 * {@code for update} would block: a provisioning step inserting a key of the unit's application would wait for the
 * locker, or deadlock with it). H2 knows only {@code for update}, and does not block those inserts with it.
 */
@Component
public class RowLocks {

    private final DataSource dataSource;
    private volatile String clause;

    RowLocks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The clause to append to a {@code select} of the row. */
    public String clause() {
        String c = clause;
        if (c == null) {
            try {
                c = "PostgreSQL".equals(JdbcUtils.extractDatabaseMetaData(dataSource,
                        DatabaseMetaData::getDatabaseProductName)) ? "for no key update" : "for update";
            } catch (MetaDataAccessException e) {
                c = "for update";
            }
            clause = c;
        }
        return c;
    }
}
