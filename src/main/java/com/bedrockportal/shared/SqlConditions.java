package com.bedrockportal.shared;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

/** The optional filter conditions of a query: its {@code where} clause and named parameters, built together. */
public final class SqlConditions {

    private final List<String> clauses = new ArrayList<>();
    private final Map<String, Object> params = new LinkedHashMap<>();

    /** Adds a condition with one named parameter. */
    public SqlConditions add(String clause, String name, Object value) {
        clauses.add(clause);
        params.put(name, value);
        return this;
    }

    /** Adds a further parameter used by a condition already added. */
    public SqlConditions param(String name, Object value) {
        params.put(name, value);
        return this;
    }

    /** {@code " where a and b"}, or empty when there are no conditions. */
    public String where() {
        return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
    }

    public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec) {
        return spec.params(params);
    }

    public static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }

    /**
     * A case-insensitive "contains" pattern with {@code % _ \} taken literally; use with
     * {@code lower(column) like :name escape '\'}.
     */
    public static String containing(String text) {
        String escaped = text.strip().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_");
        return "%" + escaped + "%";
    }

    /**
     * {@link #containing(String)} of the text's first {@code maxLength} characters (after stripping): what a picker
     * typed, cut before it reaches the database.
     */
    public static String containing(String text, int maxLength) {
        String stripped = text.strip();
        return containing(stripped.substring(0, Math.min(stripped.length(), maxLength)));
    }
}
