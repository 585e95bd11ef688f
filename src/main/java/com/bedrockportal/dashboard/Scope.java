package com.bedrockportal.dashboard;

import java.util.List;

/**
 * Whose figures: everything (security, admins), a manager's units, or a requester's own applications and requests.
 * {@code key} names the stored snapshot ({@code all}, {@code manager:<user>@<units>}, where {@code <units>} is a digest of
 * the units the manager manages: a manager whose units change reads figures of the units they manage now, never the
 * snapshot of before); a requester's figures are computed on each visit (a few rows, found through the owner index)
 * and not stored.
 */
record Scope(String key, List<Long> unitIds, String owner) {

    static final Scope ALL = new Scope("all", null, null);

    static final String MANAGER_PREFIX = "manager:";

    static Scope manager(String username, List<Long> unitIds) {
        List<Long> sorted = unitIds.stream().sorted().toList();
        String units = sorted.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        String digest;
        try {
            digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(units.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
        return new Scope(MANAGER_PREFIX + username + "@" + digest, sorted, null);
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
