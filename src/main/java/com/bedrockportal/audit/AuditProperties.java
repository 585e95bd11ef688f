package com.bedrockportal.audit;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit chain's key ({@code portal.audit.*}): every row's hash is an HMAC under it, so a row altered in the
 * database cannot be given a matching hash by whoever lacks the key.
 *
 * @param chainKey          base64 of 32 random bytes ({@code PORTAL_AUDIT_CHAIN_KEY}); the same on every node, kept
 *                          outside the database; required in production
 * @param chainKeyFile      the key's file (base64), read when {@code chain-key} is empty; generated there once
 *                          (owner-only) where {@code portal.key-files.generate} allows it; compose mounts a secret
 *                          there
 * @param previousChainKeys after a rotation of the chain key, the earlier keys (base64), oldest first: rows signed
 *                          with them still verify, in that order (a row signed with an older key than the row before
 *                          it is reported). A row signed with a key the portal does not hold is reported.
 * @param witnessFile       this node's own record of the newest row it has seen intact, outside the database: a
 *                          verification reports rows cut off the chain's end behind it (remove it after a deliberate
 *                          restore of an older backup); its folder must be writable, or the node does not start
 * @param witnessInterval   how often the node checks the rows added since its witness (1 minute to 1 day; the
 *                          schedule reads the setting, this checks it at start)
 */
@ConfigurationProperties("portal.audit")
record AuditProperties(String chainKey, @DefaultValue("./data/audit-chain.key") Path chainKeyFile,
        List<String> previousChainKeys, @DefaultValue("./data/audit-witness") Path witnessFile,
        @DefaultValue("PT15M") java.time.Duration witnessInterval) {

    /** At most this many earlier keys are read. */
    static final int MAX_PREVIOUS = 20;

    AuditProperties {
        if (witnessInterval.compareTo(java.time.Duration.ofMinutes(1)) < 0
                || witnessInterval.compareTo(java.time.Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("portal.audit.witness-interval must be between PT1M and P1D, not "
                    + witnessInterval);
        }
    }
}
