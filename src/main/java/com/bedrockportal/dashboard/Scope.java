package com.bedrockportal.dashboard;

import java.util.List;

/**
 * Whose figures: everything (security, admins), a manager's units, or a requester's own applications and requests.
 * {@code key} names the stored snapshot ({@code all}, {@code manager:<user>}); a requester's figures are computed on
 * each visit (a few rows, found through the owner index) and not stored.
 */
record Scope(String key, List<Long> unitIds, String owner) {

    static final Scope ALL = new Scope("all", null, null);

    static Scope manager(String username, List<Long> unitIds) {
        return new Scope("manager:" + username, List.copyOf(unitIds), null);
    }

    static Scope owner(String username) {
        return new Scope("owner:" + username, null, username);
    }

    boolean all() {
        return unitIds == null && owner == null;
    }

    boolean stored() {
        return owner == null;
    }
}
