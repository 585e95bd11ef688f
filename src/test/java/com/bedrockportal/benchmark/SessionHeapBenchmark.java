package com.bedrockportal.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import org.junit.jupiter.api.Test;

/**
 * Benchmark 2 of issue 16: memory of the production jar (Vaadin production mode, embedded default: H2, embedded
 * login, simulated account) started as its own process with the JVM options of {@code -Dbench.jvm} (default the
 * Dockerfile's). Prints its RSS and live heap after start, then N browsers ({@code -Dbench.sessions}, default 40) log
 * in as alice through the real login page and stay on home, then all move to the request form, then to My keys; after
 * each step the live heap (a full GC's class histogram total) and RSS, and (live heap - live heap before) / N: what
 * one session costs on that view, including what the embedded login keeps per login. Asserts nothing. Not part of
 * {@code mvn verify}; build the jar first ({@code mvn -Pproduction package -DskipTests}), then
 * {@code mvn test -Dtest=SessionHeapBenchmark -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.jar=...]}; with
 * {@code -Dbench.histogram=true} it also prints which classes grew most.
 */
class SessionHeapBenchmark {

    static final int SESSIONS = Integer.getInteger("bench.sessions", 40);
    static final int PORT = Integer.getInteger("bench.port", 18480);
    static final String BASE = "http://localhost:" + PORT;

    @Test
    void memoryAfterStartAndPerSessionOnTheMainViews() throws Exception {
        Path jar = System.getProperty("bench.jar") != null ? Path.of(System.getProperty("bench.jar"))
                : Files.list(Path.of("target")).filter(p -> p.getFileName().toString().matches(
                        "bedrock-access-portal-.*\\.jar")).findFirst().orElseThrow(() -> new IllegalStateException(
                                "build the jar first: mvn -Pproduction package -DskipTests"));
        Path work = Files.createTempDirectory("session-heap");
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(List.of(System.getProperty("bench.jvm", "-XX:MaxRAMPercentage=75").split(" ")));
        command.addAll(List.of("-Dvaadin.devmode.usageStatistics.enabled=false", "-jar", jar.toAbsolutePath()
                .toString(), "--server.port=" + PORT, "--portal.identity.embedded-idp.port=" + (PORT + 1)));
        Process portal = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("portal.log").toFile()).start();
        List<BrowserContext> browsers = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!Files.readString(work.resolve("portal.log")).contains("Started PortalApplication")) {
                if (!portal.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the portal did not start: " + work.resolve("portal.log"));
                }
                Thread.sleep(200); // waiting for another process's start, not test synchronisation
            }
            System.out.printf("SESSION-HEAP: JVM options %s%n", System.getProperty("bench.jvm",
                    "-XX:MaxRAMPercentage=75"));
            // One login first: class loading and caches are not the sessions' cost.
            BrowserContext first = Browsers.chromium().newContext();
            browsers.add(first);
            Page warm = E2ESupport.loginAs(first.newPage(), BASE, "alice");
            warm.navigate(BASE + "/requests/new");
            warm.locator("#request-purpose").waitFor();
            warm.navigate(BASE + "/keys");
            warm.locator("#keys-grid").waitFor();
            long base = report(portal, "after start and one login", 0, 0);
            Map<String, Long> before = histogram(portal);
            List<Page> pages = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                BrowserContext b = Browsers.chromium().newContext(new Browser.NewContextOptions()
                        .setViewportSize(1280, 900));
                browsers.add(b);
                pages.add(E2ESupport.loginAs(b.newPage(), BASE, "alice"));
            }
            report(portal, SESSIONS + " more sessions on home", base, SESSIONS);
            for (Page p : pages) {
                p.navigate(BASE + "/requests/new");
                p.locator("#request-purpose").waitFor();
            }
            report(portal, SESSIONS + " sessions on the request form", base, SESSIONS);
            for (Page p : pages) {
                p.navigate(BASE + "/keys");
                p.locator("#keys-grid").waitFor();
            }
            report(portal, SESSIONS + " sessions on My keys", base, SESSIONS);
            if (Boolean.getBoolean("bench.histogram")) {
                Map<String, Long> after = histogram(portal);
                after.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue()
                        - before.getOrDefault(e.getKey(), 0L))).sorted((a, b) -> Long.compare(b.getValue(),
                                a.getValue())).limit(25).forEach(e -> System.out.printf(
                                        "SESSION-HEAP: %,12d bytes more of %s%n", e.getValue(), e.getKey()));
            }
        } finally {
            browsers.forEach(BrowserContext::close);
            portal.destroy();
            portal.waitFor();
        }
    }

    /** Prints live heap and RSS; returns the live heap. */
    private static long report(Process portal, String when, long base, int sessions) throws IOException {
        long live = histogram(portal).getOrDefault("Total", 0L);
        long rssKb = Long.parseLong(Files.readAllLines(Path.of("/proc/" + portal.pid() + "/status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow().replaceAll("\\D", ""));
        System.out.printf("SESSION-HEAP: %s: live heap %.1f MB, RSS %d MB%s%n", when, live / 1e6, rssKb / 1024,
                sessions == 0 ? "" : String.format(" -> %.0f KB live heap per session", (live - base) / 1024.0
                        / sessions));
        return live;
    }

    /** The live objects by class (a full GC first), and their "Total". */
    private static Map<String, Long> histogram(Process portal) throws IOException {
        Map<String, Long> bytes = new HashMap<>();
        for (String line : jcmd(portal, "GC.class_histogram").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                bytes.put(f[3], Long.parseLong(f[2]));
            } else if (f.length == 3 && f[0].equals("Total")) {
                bytes.put("Total", Long.parseLong(f[2]));
            }
        }
        return bytes;
    }

    private static String jcmd(Process portal, String command) throws IOException {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(portal.pid()), command).redirectErrorStream(true)
                .start();
        return new String(jcmd.getInputStream().readAllBytes());
    }
}
