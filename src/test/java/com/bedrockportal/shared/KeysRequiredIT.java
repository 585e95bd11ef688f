package com.bedrockportal.shared;

import java.nio.file.Path;
import java.util.Map;

import com.bedrockportal.testsupport.PortalNodes;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A node on PostgreSQL, as production runs, does not make keys of its own: without the sealing
 * master key or the audit chain key it refuses to start and says which setting is missing, and writes no key file.
 * (Every other test node on PostgreSQL gets both keys from the test configuration.)
 */
class KeysRequiredIT {

    /** Prefixed like the fork's own database, so that two checkouts side by side never drop each other's. */
    private static final String DB = com.bedrockportal.testsupport.PostgresSupport.DB + "_keys_required";
    private static String url;

    @TempDir
    Path data;

    @BeforeAll
    static void database() {
        url = PortalNodes.freshDatabase(DB);
    }

    @ParameterizedTest(name = "without {0}")
    @CsvSource({
        "portal.sealing.master-key, portal.sealing.key-file, sealing.key, "
                + "No sealing master key: set PORTAL_SEALING_KEY, PORTAL_SEALING_KEYFILE",
        "portal.audit.chain-key, portal.audit.chain-key-file, audit-chain.key, "
                + "No audit chain key: set PORTAL_AUDIT_CHAIN_KEY, PORTAL_AUDIT_CHAINKEYFILE" })
    void withoutAKeyTheNodeRefusesToStartAndGeneratesNone(String keySetting, String fileSetting, String fileName,
            String message, String fileEnvironment) {
        Path file = data.resolve(fileName);
        assertThatThrownBy(() -> PortalNodes.start("no-key", url, 0, Map.of(keySetting, "", fileSetting,
                file.toString()))).rootCause().hasMessageContaining(message)
                .hasMessageContaining(file + " (" + fileEnvironment + ")");
        assertThat(file).doesNotExist();
    }
}
