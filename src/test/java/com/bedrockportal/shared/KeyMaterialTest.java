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
            "PORTAL_TEST_KEY", "PORTAL_TEST_KEYFILE");

    @TempDir
    Path dir;

    @Test
    void aMissingFileIsGeneratedOnceOwnerOnlyAndReadAfterwards() throws Exception {
        Path file = dir.resolve("data/test.key");
        byte[] first = KeyMaterial.load(TEST, "", file, true);
        assertThat(first).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(KeyMaterial.load(TEST, null, file, true)).isEqualTo(first);
    }

    @Test
    void theSettingWinsAndMustBe32Bytes() {
        byte[] key = new byte[32];
        key[0] = 7;
        assertThat(KeyMaterial.load(TEST, Base64.getEncoder().encodeToString(key), dir.resolve("unused.key"), true))
                .isEqualTo(key);
        assertThat(dir.resolve("unused.key")).doesNotExist();
        assertThatThrownBy(() -> KeyMaterial.load(TEST, Base64.getEncoder().encodeToString(new byte[16]), null, true))
                .hasMessageContaining("portal.test.key (PORTAL_TEST_KEY) must decode to 32 bytes");
    }

    /** An empty or short secret file (a mount gone wrong) fails the start, not every later use of the key. */
    @Test
    void aFileWithoutA32ByteKeyStopsTheStartWithAClearMessage() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.key"), "");
        assertThatThrownBy(() -> KeyMaterial.load(TEST, "", empty, false)).hasMessageContaining("empty.key")
                .hasMessageContaining("decodes to 0");
        Path text = Files.writeString(dir.resolve("text.key"), "not base64!");
        assertThatThrownBy(() -> KeyMaterial.load(TEST, "", text, false)).hasMessageContaining("is not base64");
    }

    /** Outside the embedded default a missing file is not generated: the start fails naming both ways to give it. */
    @Test
    void aMissingFileIsNotGeneratedWhereGeneratingIsOff() throws Exception {
        Path file = dir.resolve("data/test.key");
        assertThatThrownBy(() -> KeyMaterial.load(TEST, " ", file, false))
                .hasMessageContaining("No test key: set PORTAL_TEST_KEY (portal.test.key")
                .hasMessageContaining(file + " (PORTAL_TEST_KEYFILE)");
        assertThat(file).doesNotExist();
        assertThat(file.getParent()).doesNotExist();
        byte[] key = new byte[32];
        key[31] = 9;
        Files.createDirectories(file.getParent());
        Files.writeString(file, Base64.getEncoder().encodeToString(key));
        assertThat(KeyMaterial.load(TEST, "", file, false)).as("a file put there is read").isEqualTo(key);
    }

    /** Unset, a key is generated on the embedded H2 database only, whatever the profile; a setting decides otherwise. */
    @Test
    void keysAreGeneratedOnH2OnlyUnlessSetOtherwise() {
        KeyFileProperties unset = new KeyFileProperties(null);
        assertThat(unset.mayGenerate("jdbc:h2:file:./data/portal;DB_CLOSE_ON_EXIT=FALSE")).isTrue();
        assertThat(unset.mayGenerate("jdbc:h2:mem:e2e")).isTrue();
        assertThat(unset.mayGenerate("")).as("Spring Boot's embedded database").isTrue();
        assertThat(unset.mayGenerate("jdbc:postgresql://db:5432/portal")).isFalse();
        assertThat(unset.mayGenerate("jdbc:h2:tcp://db/portal")).as("H2's server mode: shared").isFalse();
        assertThat(unset.mayGenerate("jdbc:h2:file:./data/portal;AUTO_SERVER=TRUE")).isFalse();
        assertThat(new KeyFileProperties(true).mayGenerate("jdbc:postgresql://db:5432/portal")).isTrue();
        assertThat(new KeyFileProperties(false).mayGenerate("jdbc:h2:mem:e2e")).isFalse();
    }
}
