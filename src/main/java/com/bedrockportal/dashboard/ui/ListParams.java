package com.bedrockportal.dashboard.ui;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.router.QueryParameters;

/** A list's filters as query parameters: read leniently (an unknown value is ignored), written back on change. */
final class ListParams {

    private final Map<String, List<String>> params;

    ListParams(QueryParameters query) {
        this.params = query.getParameters();
    }

    String value(String name) {
        List<String> v = params.get(name);
        if (v == null || v.isEmpty() || v.get(0).isBlank()) {
            return null;
        }
        String s = v.get(0).strip();
        return s.length() > 120 ? s.substring(0, 120) : s;
    }

    Long number(String name) {
        String s = value(name);
        if (s == null || !s.matches("[0-9]{1,12}")) {
            return null;
        }
        return Long.valueOf(s);
    }

    LocalDate date(String name) {
        String s = value(name);
        try {
            return s == null ? null : LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Writes the filters that have a value into the address of {@code route} (no navigation, no history entry). */
    static void writeAddress(String route, Map<String, String> filters) {
        Map<String, String> q = new LinkedHashMap<>();
        filters.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                q.put(name, value);
            }
        });
        UI.getCurrent().getPage().getHistory().replaceState(null, route
                + (q.isEmpty() ? "" : "?" + QueryParameters.simple(q).getQueryString()));
    }
}
