package com.bedrockportal.shared;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Server-side validation failure: a message per field, shown next to the field by the view. Nothing is saved when
 * this is thrown.
 */
public class FieldErrors extends RuntimeException {

    private final Map<String, String> errors;

    public FieldErrors(Map<String, String> errors) {
        super("Invalid input in " + errors.keySet());
        this.errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
    }

    public static FieldErrors of(String field, String message) {
        return new FieldErrors(Map.of(field, message));
    }

    public Map<String, String> errors() {
        return errors;
    }

    /** Collects errors field by field; the first message for a field wins. */
    public static final class Collector {
        private final Map<String, String> errors = new LinkedHashMap<>();

        public Collector add(String field, String message) {
            errors.putIfAbsent(field, message);
            return this;
        }

        public boolean has(String field) {
            return errors.containsKey(field);
        }

        /** Whether any field has an error. */
        public boolean any() {
            return !errors.isEmpty();
        }

        public void throwIfAny() {
            if (!errors.isEmpty()) {
                throw new FieldErrors(errors);
            }
        }
    }
}
