package com.bedrockportal.shared;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A key from its setting, or from its file, generated once; a file that holds no 32-byte key stops the start. */
class KeyMaterialTest {

    private static final KeyMaterial.Source TEST = new KeyMaterial.Source("test key", "portal.test.key",
            "PORTAL_TEST_KEY");

    @TempDir
    Path dir;

    @Test
    void aMissingFileIsGeneratedOnceOwnerOnlyAndReadAfterwards() throws Exception {
        Path file = dir.resolve("data/test.key");
        byte[] first = KeyMaterial.load(TEST, "", file);
        assertThat(first).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(KeyMaterial.load(TEST, null, file)).isEqualTo(first);
    }

    @Test
    void theSettingWinsAndMustBe32Bytes() {
        byte[] key = new byte[32];
        key[0] = 7;
        assertThat(KeyMaterial.load(TEST, Base64.getEncoder().encodeToString(key), dir.resolve("unused.key")))
                .isEqualTo(key);
        assertThat(dir.resolve("unused.key")).doesNotExist();
        assertThatThrownBy(() -> KeyMaterial.load(TEST, Base64.getEncoder().encodeToString(new byte[16]), null))
                .hasMessageContaining("portal.test.key (PORTAL_TEST_KEY) must decode to 32 bytes");
    }

    /** An empty or short secret file (a mount gone wrong) fails the start, not every later use of the key. */
    @Test
    void aFileWithoutA32ByteKeyStopsTheStartWithAClearMessage() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.key"), "");
        assertThatThrownBy(() -> KeyMaterial.load(TEST, "", empty)).hasMessageContaining("empty.key")
                .hasMessageContaining("decodes to 0");
        Path text = Files.writeString(dir.resolve("text.key"), "not base64!");
        assertThatThrownBy(() -> KeyMaterial.load(TEST, "", text)).hasMessageContaining("is not base64");
    }
}
