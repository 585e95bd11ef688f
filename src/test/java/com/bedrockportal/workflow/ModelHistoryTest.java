package com.bedrockportal.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A changed process model is a new version that the upgraded node deploys, while requests, rotations and cases keep
 * waiting on the version they started on. {@link ModelUpgradeIT} drives them from every earlier version kept in
 * {@code src/test/resources/model-history/<process>/}; this test makes sure a change to a model in {@code bpmn/} does
 * not leave its previous version out of that folder, by the models' hashes in {@code model-history/released.sha256}.
 */
class ModelHistoryTest {

    private static final Path MODELS = Path.of("bpmn");
    private static final Path HISTORY = Path.of("src/test/resources/model-history");

    @Test
    void everyModelIsTheOneWhosePreviousVersionsAreKept() throws IOException {
        Map<String, String> recorded = new LinkedHashMap<>();
        for (String line : Files.readAllLines(HISTORY.resolve("released.sha256"))) {
            if (!line.isBlank()) {
                String[] parts = line.trim().split("\\s+");
                recorded.put(parts[1], parts[0]);
            }
        }
        Map<String, String> current = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(MODELS)) {
            for (Path model : files.filter(f -> f.toString().endsWith(".bpmn")).sorted().toList()) {
                current.put(model.getFileName().toString(), sha256(model));
            }
        }
        assertThat(current).as("""
                A model in bpmn/ changed (or is new): copy its previous version (git show HEAD:bpmn/<file>) into \
                src/test/resources/model-history/<process id>/<yyyy-MM-ddTHHmm>-<commit>.bpmn, so that \
                ModelUpgradeIT drives what waits on it, then record the new hash in model-history/released.sha256 \
                (sha256sum bpmn/*.bpmn)""").isEqualTo(recorded);
    }

    @Test
    void noKeptVersionIsTheCurrentModel() throws IOException {
        Map<String, String> currentByHash = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(MODELS)) {
            for (Path model : files.filter(f -> f.toString().endsWith(".bpmn")).toList()) {
                currentByHash.put(sha256(model), model.toString());
            }
        }
        try (Stream<Path> kept = Files.walk(HISTORY)) {
            for (Path earlier : kept.filter(f -> f.toString().endsWith(".bpmn")).toList()) {
                assertThat(currentByHash).as(earlier + " is a copy of a current model").doesNotContainKey(
                        sha256(earlier));
            }
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
