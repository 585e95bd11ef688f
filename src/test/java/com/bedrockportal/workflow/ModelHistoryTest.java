package com.bedrockportal.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A changed process model is a new version that the upgraded node deploys, while requests, rotations and cases keep
 * waiting on the version they started on. {@link ModelUpgradeIT} drives them from the earlier versions kept in
 * {@code src/test/resources/model-history/<process id>/}. {@code model-history/released.sha256} lists every released
 * version of each model in {@code bpmn/} (add-only): the current one must be listed, and every listed one that is no
 * longer current must be kept, so a model cannot change without its previous version kept and driven.
 */
class ModelHistoryTest {

    private static final Path MODELS = Path.of("bpmn");
    private static final Path HISTORY = Path.of("src/test/resources/model-history");
    private static final Pattern PROCESS_ID = Pattern.compile("<bpmn:process id=\"([^\"]+)\"");
    private static final String HOW = "copy the model's previous version (git show HEAD:bpmn/<file>) into "
            + "src/test/resources/model-history/<process id>/<yyyy-MM-ddTHHmm>-<commit>.bpmn and add the new "
            + "version's line (sha256sum bpmn/<file>) to model-history/released.sha256";

    /** Per model file in bpmn/: the hashes of its released versions. */
    private static Map<String, Set<String>> released() throws IOException {
        Map<String, Set<String>> released = new TreeMap<>();
        for (String line : Files.readAllLines(HISTORY.resolve("released.sha256"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] parts = line.trim().split("\\s+");
                released.computeIfAbsent(parts[1], f -> new HashSet<>()).add(parts[0]);
            }
        }
        return released;
    }

    /** Per model file in bpmn/: its process id. */
    private static Map<String, String> processIds() throws IOException {
        Map<String, String> ids = new TreeMap<>();
        try (Stream<Path> files = Files.list(MODELS)) {
            for (Path model : files.filter(f -> f.toString().endsWith(".bpmn")).toList()) {
                Matcher m = PROCESS_ID.matcher(Files.readString(model, StandardCharsets.UTF_8));
                assertThat(m.find()).as(model + " has a process").isTrue();
                ids.put(model.getFileName().toString(), m.group(1));
            }
        }
        return ids;
    }

    /** The kept versions of a process: hash to file. */
    private static Map<String, Path> kept(String processId) throws IOException {
        Map<String, Path> kept = new HashMap<>();
        Path folder = HISTORY.resolve(processId);
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path earlier : files.filter(f -> f.toString().endsWith(".bpmn")).toList()) {
                    kept.put(sha256(earlier), earlier);
                }
            }
        }
        return kept;
    }

    @Test
    void everyCurrentModelIsAReleasedVersion() throws IOException {
        Map<String, Set<String>> released = released();
        for (String file : processIds().keySet()) {
            assertThat(released.getOrDefault(file, Set.of())).as("bpmn/" + file + " changed or is new: " + HOW)
                    .contains(sha256(MODELS.resolve(file)));
        }
    }

    @Test
    void everyEarlierReleasedVersionIsKeptAndEveryKeptOneReleased() throws IOException {
        Map<String, Set<String>> released = released();
        for (Map.Entry<String, String> model : processIds().entrySet()) {
            String current = sha256(MODELS.resolve(model.getKey()));
            Map<String, Path> kept = kept(model.getValue());
            for (String version : released.getOrDefault(model.getKey(), Set.of())) {
                if (!version.equals(current)) {
                    assertThat(kept).as("an earlier version of bpmn/" + model.getKey() + " (" + version
                            + ") is not kept in model-history/" + model.getValue()).containsKey(version);
                }
            }
            for (Map.Entry<String, Path> earlier : kept.entrySet()) {
                assertThat(earlier.getKey()).as(earlier.getValue() + " is the current model").isNotEqualTo(current);
                assertThat(released.get(model.getKey())).as(earlier.getValue() + " is not listed as released")
                        .contains(earlier.getKey());
            }
        }
    }

    @Test
    void everyProcessWithKeptVersionsIsDrivenFromThem() throws IOException {
        for (String processId : processIds().values()) {
            if (!kept(processId).isEmpty()) {
                assertThat(ModelUpgradeIT.DRIVEN).as("model-history/" + processId + " keeps versions that "
                        + "ModelUpgradeIT does not drive").contains(processId);
            }
        }
        try (Stream<Path> folders = Files.list(HISTORY)) {
            assertThat(folders.filter(Files::isDirectory).map(f -> f.getFileName().toString()))
                    .as("history folders named by a process id of bpmn/").isSubsetOf(processIds().values());
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
