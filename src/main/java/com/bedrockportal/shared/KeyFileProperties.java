package com.bedrockportal.shared;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Whether a missing key file may be generated ({@code portal.key-files.generate}, {@code PORTAL_KEY_FILES_GENERATE}).
 * The embedded default generates its sealing master key and audit chain key once, into {@code ./data}. The
 * {@code postgres} profile does not: nodes on one database must share both keys, and a node that made its own could
 * not open what another sealed and would sign the audit chain with a key the others do not hold; a node whose
 * container lost its folder would get a new key at each restart. There the start fails naming the settings instead.
 *
 * @param generate generate a missing key file (embedded default true; the {@code postgres} profile false)
 */
@ConfigurationProperties("portal.key-files")
public record KeyFileProperties(@DefaultValue("true") boolean generate) {
}
