package com.bedrockportal.key;

import java.util.Locale;

/**
 * Where a key stands, as stored in {@code api_key.status}. "Expired" is not stored: it is an ACTIVE or PENDING_REVEAL
 * key past its expiry (AWS stops it by itself).
 */
public enum KeyStatus {
    /** Created and sealed; waits for the requester's one-time reveal. */
    PENDING_REVEAL,
    /** Revealed and in use. */
    ACTIVE,
    /** Set Inactive in AWS (not revealed in time, or disabled by a person); security can re-enable it. */
    INACTIVE,
    /** Deleted in AWS. */
    DELETED,
    /** Revoked by a person: disabled, then deleted in AWS, so its slot (two keys per IAM user) is free. Final. */
    REVOKED;

    /** Whether the key still exists in AWS (and so takes one of its IAM user's two slots). */
    public boolean live() {
        return this != DELETED && this != REVOKED;
    }

    /** How people read it: "pending reveal", "active", … */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /**
     * The status a filter names — its name in any case, or its label ("pending reveal", "pending_reveal") — or null for
     * an unknown or empty name.
     */
    public static KeyStatus parse(String name) {
        String asked = name == null ? "" : name.strip().replace(' ', '_');
        for (KeyStatus s : values()) {
            if (s.name().equalsIgnoreCase(asked)) {
                return s;
            }
        }
        return null;
    }
}
