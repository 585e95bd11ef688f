package com.bedrockportal.identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import com.bedrockportal.shared.SqlConditions;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Users the portal has seen log in (plus the demo users in the embedded mode). The IdP stays the source of truth
 * for who may log in; this directory only feeds pickers and shows names.
 */
@Service
public class UserDirectory {

    /** A user as last seen at login. */
    public record KnownUser(String username, String displayName, String email, String roles, Instant lastLoginAt) {
        public String label() {
            return displayName == null || displayName.isBlank() ? username : displayName + " (" + username + ")";
        }
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    UserDirectory(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public List<KnownUser> all() {
        return jdbc.sql("select * from portal_user order by username").query(UserDirectory::user).list();
    }

    /** The most names {@link #usernames} returns at once, and the longest filter it uses. */
    static final int MAX_PAGE = 200;
    static final int MAX_FILTER = 128;

    /**
     * A page of user names containing {@code filter} (ignoring case; blank: all), in name order: what a picker asks for
     * as it scrolls, instead of the whole directory. At most {@value #MAX_PAGE} names; a longer filter is cut.
     */
    @Transactional(readOnly = true)
    public List<String> usernames(String filter, int offset, int limit) {
        SqlConditions where = new SqlConditions();
        if (SqlConditions.hasText(filter)) {
            where.add("lower(username) like :f escape '\\'", "f", SqlConditions.containing(filter, MAX_FILTER));
        }
        return where.bind(jdbc.sql("select username from portal_user" + where.where()
                + " order by username offset :offset rows fetch next :limit rows only"))
                .param("offset", Math.max(0, offset)).param("limit", Math.max(0, Math.min(limit, MAX_PAGE)))
                .query(String.class).list();
    }

    /** One user by name: the one row, not the whole directory (asked for on every notification and decision). */
    @Transactional(readOnly = true)
    public Optional<KnownUser> find(String username) {
        return jdbc.sql("select * from portal_user where username = :u").param("u", username)
                .query(UserDirectory::user).optional();
    }

    /** The one user with this e-mail address (ignoring case); empty when none or more than one has it. */
    @Transactional(readOnly = true)
    public Optional<KnownUser> findByEmail(String email) {
        if (email == null || email.isBlank()) {
            return Optional.empty();
        }
        List<KnownUser> found = jdbc.sql("select * from portal_user where lower(email) = :e fetch first 2 rows only")
                .param("e", email.strip().toLowerCase(Locale.ROOT)).query(UserDirectory::user).list();
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    /** Users whose last login carried this role. */
    @Transactional(readOnly = true)
    public List<KnownUser> withRole(PortalRole role) {
        return jdbc.sql("select * from portal_user where roles like :r order by username")
                .param("r", "%" + role.name() + "%").query(UserDirectory::user).list().stream()
                .filter(u -> List.of(u.roles().split(",")).contains(role.name())).toList();
    }

    /** Records a login: inserts or updates the user's name, e-mail, roles and last login time. */
    @Transactional
    void recordLogin(String username, String displayName, String email, Collection<PortalRole> roles) {
        upsert(username, displayName, email, roles, clock.instant());
    }

    /** Adds a user who has not logged in yet (demo seed); never overwrites one who has. */
    @Transactional
    void seedIfAbsent(String username, String displayName, String email, Collection<PortalRole> roles) {
        if (find(username).isEmpty()) {
            upsert(username, displayName, email, roles, null);
        }
    }

    private void upsert(String username, String displayName, String email, Collection<PortalRole> roles,
            Instant loginAt) {
        String roleNames = roles.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
        OffsetDateTime at = loginAt == null ? null : loginAt.atOffset(ZoneOffset.UTC);
        int updated = jdbc.sql("""
                update portal_user set display_name = :name, email = :email, roles = :roles,
                       last_login_at = coalesce(:at, last_login_at) where username = :u""")
                .param("u", username).param("name", displayName).param("email", email).param("roles", roleNames)
                .param("at", at, java.sql.Types.TIMESTAMP_WITH_TIMEZONE).update();
        if (updated == 0) {
            jdbc.sql("""
                    insert into portal_user (username, display_name, email, roles, last_login_at)
                    values (:u, :name, :email, :roles, :at)""")
                    .param("u", username).param("name", displayName).param("email", email).param("roles", roleNames)
                    .param("at", at, java.sql.Types.TIMESTAMP_WITH_TIMEZONE).update();
        }
    }

    private static KnownUser user(ResultSet rs, int i) throws SQLException {
        return new KnownUser(rs.getString("username"), rs.getString("display_name"), rs.getString("email"),
                rs.getString("roles"), Optional.ofNullable(rs.getObject("last_login_at", OffsetDateTime.class))
                        .map(OffsetDateTime::toInstant).orElse(null));
    }
}
