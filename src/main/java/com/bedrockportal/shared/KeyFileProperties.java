package com.bedrockportal.shared;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Whether a missing key file may be generated ({@code portal.key-files.generate}, {@code PORTAL_KEY_FILES_GENERATE}).
 * Unset, only on the embedded H2 database: the embedded default generates its sealing master key and audit chain key
 * once, into {@code ./data}. On any other database it does not: nodes on one database must share both keys, and a
 * node that made its own could not open what another sealed and would sign the audit chain with a key the others do
 * not hold; a node whose container lost its folder would get a new key at each restart. There the start fails naming
 * the settings instead.
 *
 * @param generate {@code true} or {@code false} to decide; unset (null): only where {@code spring.datasource.url} is
 *                 H2 in memory or in a local file ({@code jdbc:h2:mem:}, {@code jdbc:h2:file:}, not
 *                 {@code AUTO_SERVER}), or not set at all
 */
@ConfigurationProperties("portal.key-files")
public record KeyFileProperties(Boolean generate) {

    /** Whether a missing key file may be generated for a node on {@code datasourceUrl}. */
    public boolean mayGenerate(String datasourceUrl) {
        if (generate != null) {
            return generate;
        }
        if (datasourceUrl == null || datasourceUrl.isBlank()) {
            return true; // Spring Boot's own embedded database
        }
        // H2 in memory or in a local file, one process's own: not H2's server modes, which several nodes can share.
        return (datasourceUrl.startsWith("jdbc:h2:mem:") || datasourceUrl.startsWith("jdbc:h2:file:"))
                && !datasourceUrl.toUpperCase(java.util.Locale.ROOT).contains("AUTO_SERVER=TRUE");
    }
}
