package com.bedrockportal.shared;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every key the code names for a validation message — {@code message = "{key}"} on a draft, {@code text("key")} in a
 * service — is in the translation bundle, and the bundle is the one the validator reads.
 */
class FormTextsTest {

    private static final Pattern ANNOTATION_KEY = Pattern.compile("message = \"\\{([\\w.]+)}\"");
    private static final Pattern TEXT_KEY = Pattern.compile("\\btext\\(\"([\\w.]+)\"\\s*[,)]");

    @Test
    void everyMessageKeyOfTheCodeIsInTheBundle() throws IOException {
        Properties bundle = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/" + FormValidation.BUNDLE + ".properties")) {
            bundle.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                for (Pattern pattern : new Pattern[] { ANNOTATION_KEY, TEXT_KEY }) {
                    Matcher m = pattern.matcher(source);
                    while (m.find()) {
                        used.add(m.group(1));
                    }
                }
            }
        }
        assertThat(used).contains("request.purpose.short", "bu.slug.taken", "request.cidrs.overlap");
        assertThat(bundle.stringPropertyNames()).containsAll(used);
    }

    /** A key given twice silently takes the last value (the navbar once read "Application" instead of the name). */
    @Test
    void noKeyOfTheBundleIsGivenTwice() throws IOException {
        java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(Path.of("src/main/resources/" + FormValidation.BUNDLE + ".properties"),
                StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (!line.isBlank() && !line.startsWith("#") && eq > 0) {
                seen.merge(line.substring(0, eq).strip(), 1, Integer::sum);
            }
        }
        assertThat(seen).hasSizeGreaterThan(100);
        assertThat(seen.entrySet().stream().filter(e -> e.getValue() > 1).map(java.util.Map.Entry::getKey))
                .isEmpty();
    }

    /**
     * A message with parameters goes through {@code MessageFormat}, where a lone apostrophe starts quoted text: "the
     * user's {0} days" would show "{0}" and lose the apostrophe. Every parameter a message names must come out
     * filled in (apostrophes are written doubled).
     */
    @Test
    void everyParameterOfEveryMessageIsFilledIn() throws IOException {
        Properties bundle = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/" + FormValidation.BUNDLE + ".properties")) {
            bundle.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        Pattern parameter = Pattern.compile("\\{(\\d)}");
        Set<String> broken = new TreeSet<>();
        for (String key : bundle.stringPropertyNames()) {
            String raw = bundle.getProperty(key);
            Matcher m = parameter.matcher(raw);
            Set<String> indexes = new TreeSet<>();
            while (m.find()) {
                indexes.add(m.group(1));
            }
            if (indexes.isEmpty()) {
                continue;
            }
            // Numbers, so that "{0,number}" and "{0,choice,…}" elements format too; plain "{n}" shows 11 + n.
            Object[] args = java.util.stream.IntStream.range(0, 10).mapToObj(n -> (Object) (11 + n)).toArray();
            String shown = java.text.MessageFormat.format(raw, args);
            if (indexes.stream().anyMatch(n -> !shown.contains(String.valueOf(11 + Integer.parseInt(n))))
                    || shown.matches("(?s).*\\{\\d}.*")) {
                broken.add(key + " -> " + shown);
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void theValidatorAndTheServicesReadTheSameBundle() {
        FormValidation rules = FormValidation.standalone();
        assertThat(rules.text("request.regions.tooMany", "3")).isEqualTo("At most 3 regions.");
        assertThat(rules.text("request.models.notInCatalog", "x")).isEqualTo("'x' is not in the model catalog.");
    }
}
