package com.bedrockportal.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import org.junit.jupiter.api.Test;

/**
 * Benchmark 2 of issue 16: memory of the production jar started as its own process ({@link ProductionJar}: Vaadin
 * production mode, embedded default, the JVM options of {@code -Dbench.jvm}, default the Dockerfile's, and
 * {@link #EXACT_HISTOGRAM}). Prints its RSS and live heap after start, then N browsers ({@code -Dbench.sessions},
 * default 40) log in as alice through the real login page and stay on home, then all move to the request form, then
 * to My keys ({@code -Dbench.navigation=click}: by a click in the side navigation, as a person does; default: by
 * loading the page's address), then stay there until their idle connections have closed; after each step the live heap (a full GC's
 * class histogram total) and RSS, and (live heap - live heap before) / N: what one session costs on that view,
 * including what the embedded login keeps per login. Asserts nothing. Not part of {@code mvn verify}; build the jar
 * first ({@code mvn -Pproduction package -DskipTests}), then
 * {@code mvn test -Dtest=SessionHeapBenchmark -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.jar=...]}; with
 * {@code -Dbench.histogram=true} it also prints which classes grew most, and with {@code -Dbench.heapdump=file.hprof}
 * it writes a heap dump with every session on My keys (read it with any HPROF analyser).
 */
class SessionHeapBenchmark {

    static final int SESSIONS = Integer.getInteger("bench.sessions", 40);
    static final int PORT = Integer.getInteger("bench.port", 18480);
    static final String BASE = "http://localhost:" + PORT;
    static final boolean CLICK = "click".equals(System.getProperty("bench.navigation", "load"));

    /**
     * The serial collector's full GC leaves up to 5 % of the old generation uncompacted as dead objects (filler
     * {@code int[]}s, no referrer, no GC root) except at every fourth full GC, and a class histogram counts them as
     * live: up to 7 MB of "live" {@code int[]} that came and went between two histograms, 120 KB a session in a
     * 60-session run. Here every full GC compacts, so the histogram holds only what is reachable.
     */
    static final String EXACT_HISTOGRAM = "-XX:MarkSweepAlwaysCompactCount=1";

    @Test
    void memoryAfterStartAndPerSessionOnTheMainViews() throws Exception {
        List<BrowserContext> browsers = new ArrayList<>();
        try (ProductionJar portal = ProductionJar.start(PORT, "session-heap", EXACT_HISTOGRAM)) {
            System.out.printf("SESSION-HEAP: JVM options %s; pages opened by %s%n", portal.jvmOptions, CLICK
                    ? "a click in the side navigation" : "loading their address");
            // One login first: class loading and caches are not the sessions' cost.
            Page warm = session(browsers, "alice");
            warm.navigate(BASE + "/requests/new");
            warm.locator("#request-purpose").waitFor();
            warm.navigate(BASE + "/keys");
            warm.locator("#keys-grid").waitFor();
            long base = report(portal, "after start and one login", 0, 0);
            Map<String, Long> before = portal.histogram();
            List<Page> pages = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                pages.add(session(browsers, "alice"));
            }
            report(portal, SESSIONS + " more sessions on home", base, SESSIONS);
            for (Page p : pages) {
                open(p, "/requests/new", "Request access", "#request-purpose");
            }
            report(portal, SESSIONS + " sessions on the request form", base, SESSIONS);
            for (Page p : pages) {
                open(p, "/keys", "Keys", "#keys-grid");
            }
            report(portal, SESSIONS + " sessions on My keys", base, SESSIONS);
            // Left alone, each page keeps its push websocket; the browsers' other connections close after the
            // keep-alive timeout. Waits (at most two minutes) until the portal has no more than one per page left.
            long idleSince = System.nanoTime();
            int open = portal.establishedConnections(PORT);
            while (open > SESSIONS + 1 && System.nanoTime() - idleSince < Duration.ofMinutes(2).toNanos()) {
                Thread.sleep(500); // polling another process's connections, not test synchronisation
                open = portal.establishedConnections(PORT);
            }
            System.out.printf("SESSION-HEAP: %d connections open after %.0f s idle%n", open, (System.nanoTime()
                    - idleSince) / 1e9);
            report(portal, SESSIONS + " sessions idle on My keys", base, SESSIONS);
            if (Boolean.getBoolean("bench.histogram")) {
                ProductionJar.grewMost(before, portal.histogram(), 25).forEach(e -> System.out.printf(
                        "SESSION-HEAP: %,12d bytes more of %s%n", e.getValue(), e.getKey()));
            }
            String dump = System.getProperty("bench.heapdump", "");
            if (!dump.isBlank()) {
                portal.heapDump(Path.of(dump));
                System.out.printf("SESSION-HEAP: heap dump with %d sessions on My keys in %s%n", SESSIONS, dump);
            }
        } finally {
            browsers.forEach(BrowserContext::close);
        }
    }

    /**
     * The security team's dashboard (six charts drawn twice as inline SVG, their tables), the heaviest page a
     * security member keeps open: sara logs in that many times and opens it. Run on its own with
     * {@code -Dtest=SessionHeapBenchmark#memoryPerSessionOnTheSecurityDashboard}.
     */
    @Test
    void memoryPerSessionOnTheSecurityDashboard() throws Exception {
        List<BrowserContext> browsers = new ArrayList<>();
        try (ProductionJar portal = ProductionJar.start(PORT, "session-heap-dashboard", EXACT_HISTOGRAM)) {
            Page warm = session(browsers, "sara");
            warm.navigate(BASE + "/dashboard");
            warm.locator("#chart-keys svg").first().waitFor();
            long base = report(portal, "after start and one visit", 0, 0);
            for (int i = 0; i < SESSIONS; i++) {
                Page p = session(browsers, "sara");
                p.navigate(BASE + "/dashboard");
                p.locator("#chart-keys svg").first().waitFor();
            }
            report(portal, SESSIONS + " more sessions on the dashboard", base, SESSIONS);
        } finally {
            browsers.forEach(BrowserContext::close);
        }
    }

    /**
     * Opens a page of the main views: by loading its address ({@code -Dbench.navigation=load}, the default, a new UI
     * each time) or by a click on its entry in the side navigation ({@code click}, as a person moves between pages,
     * within the same UI); waits for {@code marker}.
     */
    private static void open(Page page, String route, String label, String marker) {
        if (CLICK) {
            E2ESupport.navItem(page, label).click();
        } else {
            page.navigate(BASE + route);
        }
        page.locator(marker).waitFor();
    }

    /** A browser of its own (kept in {@code browsers} to be closed), logged in as {@code user}. */
    private static Page session(List<BrowserContext> browsers, String user) {
        BrowserContext b = Browsers.chromium().newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        browsers.add(b);
        return E2ESupport.loginAs(b.newPage(), BASE, user);
    }

    /** Prints live heap and RSS; returns the live heap. */
    private static long report(ProductionJar portal, String when, long base, int sessions) throws IOException {
        long live = portal.liveHeap();
        System.out.printf("SESSION-HEAP: %s: live heap %.1f MB, RSS %d MB%s%n", when, live / 1e6, portal.rssMb(),
                sessions == 0 ? "" : String.format(" -> %.0f KB live heap per session", (live - base) / 1024.0
                        / sessions));
        return live;
    }
}
