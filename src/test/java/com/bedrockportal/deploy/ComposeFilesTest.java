package com.bedrockportal.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.bedrockportal.workflow.JobConnections;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of the compose files without a Docker engine (docker/check.sh adds HAProxy's and Prometheus's
 * own checks where those tools are installed): nothing is published beyond the host's loopback address by default,
 * the embedded demo login never runs in the production topology, and both portal nodes share one database, one IdP
 * and one sealing key from a read-only secret.
 */
class ComposeFilesTest {

    @Test
    void productionPublishesOnLoopbackByDefaultAndBothNodesShareDatabaseIdpAndSealingKey() throws IOException {
        Map<String, Map<String, Object>> services = services("docker/compose.yml");
        assertThat(services).containsKeys("postgres", "keycloak", "portal-1", "portal-2", "proxy", "prometheus",
                "grafana");
        services.forEach((name, service) -> {
            for (String port : list(service.get("ports"))) {
                assertThat(port).as(name + " publishes " + port)
                        .matches("(127\\.0\\.0\\.1|\\$\\{PUBLISH_ADDRESS:-127\\.0\\.0\\.1\\}):\\d+:\\d+");
            }
        });
        for (String node : List.of("portal-1", "portal-2")) {
            Map<String, Object> service = services.get(node);
            assertThat(service.get("ports")).as(node + " is reached through the proxy only").isNull();
            @SuppressWarnings("unchecked")
            Map<String, Object> env = (Map<String, Object>) service.get("environment");
            assertThat(env.get("PORTAL_OIDC_ISSUER_URI")).as("no embedded demo login").isEqualTo(
                    "http://keycloak:8180/realms/portal");
            assertThat(env).containsEntry("PORTAL_SEALING_KEYFILE", "/run/secrets/sealing_key")
                    .containsEntry("PORTAL_AUDIT_CHAINKEYFILE", "/run/secrets/audit_chain_key")
                    .containsEntry("PORTAL_DB_URL", "jdbc:postgresql://postgres:5432/portal")
                    .containsEntry("PORTAL_DEMO_DATA", "false").doesNotContainKey("PORTAL_SEALING_KEY")
                    .as("a node that lost its secret refuses to start instead of making keys of its own")
                    .doesNotContainKey("PORTAL_KEY_FILES_GENERATE");
            assertThat(list(service.get("secrets"))).containsExactly("sealing_key", "audit_chain_key");
            // Without a limit the JVM sizes each node's heap from the host's memory (MaxRAMPercentage).
            assertThat(service.get("mem_limit")).as(node + " has a memory limit").isEqualTo(
                    "${PORTAL_MEMORY_LIMIT:-2g}");
            assertThat(env.get("JAVA_TOOL_OPTIONS")).asString().contains("-XX:MaxRAMPercentage=75");
        }
        assertThat(services.get("portal-1").get("environment")).isEqualTo(services.get("portal-2").get("environment"));
        // Two nodes (each its pool and one listening connection) and Keycloak's pool fit PostgreSQL's 100 connections,
        // less the 3 it keeps for superusers; each node's pool leaves pages their connections while AWS is slow.
        Map<?, ?> env = (Map<?, ?>) services.get("portal-1").get("environment");
        int pool = defaultOf(env.get("PORTAL_DB_POOL_SIZE"));
        int steps = defaultOf(env.get("PORTAL_JOB_THREADS"));
        int pageCalls = defaultOf(env.get("PORTAL_AWS_PAGE_CALLS"));
        int keycloak = defaultOf(((Map<?, ?>) services.get("keycloak").get("environment")).get("KC_DB_POOL_MAX_SIZE"));
        assertThat(2 * (pool + 1) + keycloak).as("connections of both nodes and Keycloak").isLessThanOrEqualTo(97);
        assertThat(JobConnections.leavesPagesWaiting(pool, steps, pageCalls))
                .as("pool %d for %d steps and %d page turns", pool, steps, pageCalls).isFalse();
        // env.example, which operators copy to docker/.env, sets what the compose file's defaults are.
        List<String> example = Files.readAllLines(Path.of("docker/env.example"));
        assertThat(example).contains("PORTAL_DB_POOL_SIZE=" + pool, "PORTAL_JOB_THREADS=" + steps,
                "PORTAL_AWS_PAGE_CALLS=" + pageCalls, "KEYCLOAK_DB_POOL_MAX_SIZE=" + keycloak);
        // Each node keeps its audit chain witness in a data volume of its own (it judges the chain by what it saw).
        assertThat(list(services.get("portal-1").get("volumes"))).containsExactly("portal-1-data:/app/data");
        assertThat(list(services.get("portal-2").get("volumes"))).containsExactly("portal-2-data:/app/data");
        // On an empty database the second node waits for the first (both would create Camunda's tables at once).
        assertThat(services.get("portal-2").get("depends_on")).asString()
                .contains("portal-1={condition=service_healthy}", "postgres={condition=service_healthy}");
    }

    /** The default of a {@code ${NAME:-default}} value. */
    private static int defaultOf(Object value) {
        String text = String.valueOf(value);
        assertThat(text).as("a setting with a default").matches("\\$\\{[A-Z_]+:-\\d+\\}");
        return Integer.parseInt(text.substring(text.indexOf(":-") + 2, text.length() - 1));
    }

    @Test
    void theDemoComposeKeepsTheEmbeddedLoginOnLoopback() throws IOException {
        Map<String, Map<String, Object>> services = services("docker/compose.demo.yml");
        assertThat(list(services.get("portal").get("ports"))).contains("127.0.0.1:9000:9000")
                .allMatch(p -> p.startsWith("127.0.0.1:") || p.startsWith("${PORTAL_PUBLISH_ADDRESS:-127.0.0.1}:8080"));
        // Its one node generates its keys (on PostgreSQL only when told to), into a volume that outlives it.
        assertThat(((Map<?, ?>) services.get("portal").get("environment")).get("PORTAL_KEY_FILES_GENERATE"))
                .isEqualTo("true");
        assertThat(list(services.get("portal").get("volumes"))).contains("portal-data:/app/data");
    }

    @Test
    void prometheusScrapesBothNodesAndTheProxyKnowsBoth() throws IOException {
        String prometheus = Files.readString(Path.of("docker/prometheus/prometheus.yml"));
        assertThat(prometheus).contains("\"portal-1:8080\"", "\"portal-2:8080\"", "/actuator/prometheus",
                "password_file: /run/secrets/scrape_password");
        String haproxy = Files.readString(Path.of("docker/haproxy/haproxy.cfg"));
        assertThat(haproxy).contains("server portal-1 portal-1:8080 cookie p1", "server portal-2 portal-2:8080 cookie p2",
                "cookie PORTAL_NODE insert");
    }

    /**
     * The image and the compose file start the nodes with the same JVM flags, the benchmarks measure with them, and
     * this JDK accepts them (an option the JVM does not know stops it from starting). The image's JDK is not the one
     * checked here; {@code -XX:TrimNativeHeapInterval} needs 17.0.9 or later.
     */
    @Test
    void theImageAndTheComposeFileShipTheSameJvmFlagsAndAJvmAcceptsThem() throws Exception {
        java.util.regex.Matcher image = java.util.regex.Pattern.compile("(?m)^ENV JAVA_TOOL_OPTIONS=\"([^\"]+)\"$")
                .matcher(Files.readString(Path.of("docker/Dockerfile")));
        assertThat(image.find()).as("the Dockerfile sets JAVA_TOOL_OPTIONS").isTrue();
        Map<?, ?> env = (Map<?, ?>) services("docker/compose.yml").get("portal-1").get("environment");
        assertThat(env.get("JAVA_TOOL_OPTIONS")).isEqualTo(image.group(1));
        assertThat(image.group(1)).contains("-XX:+UseSerialGC", "-XX:TrimNativeHeapInterval=5000")
                .startsWith(com.bedrockportal.benchmark.ProductionJar.SHIPPED_FLAGS + " ");

        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString()));
        command.addAll(List.of(image.group(1).trim().split("\\s+")));
        command.add("-version");
        ProcessBuilder started = new ProcessBuilder(command).redirectErrorStream(true);
        // Only the shipped flags: options from this machine's environment could add to them or hide an unknown one.
        started.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"));
        Process jvm = started.start();
        String output = new String(jvm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(jvm.waitFor()).as(output).isZero();
        assertThat(output).doesNotContain("Unrecognized", "Ignoring");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services(String file) throws IOException {
        try (Reader in = Files.newBufferedReader(Path.of(file))) {
            Map<String, Object> compose = new Yaml().load(in);
            return (Map<String, Map<String, Object>>) compose.get("services");
        }
    }

    private static List<String> list(Object value) {
        return value == null ? List.of() : ((List<?>) value).stream().map(String::valueOf).toList();
    }
}
