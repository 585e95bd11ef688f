package com.bedrockportal.benchmark;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.bedrockportal.testsupport.Browsers;
import com.bedrockportal.testsupport.E2ESupport;
import com.bedrockportal.testsupport.UidlClient;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import org.junit.jupiter.api.Test;

/**
 * Does a session grow as its user moves between pages? {@link SessionHeapBenchmark} opens each page once; here each
 * session goes round a requester's four pages (My requests, Keys, the request form, home) 21 times inside one UI, as
 * the side navigation does, and the live heap per session and the Vaadin objects it holds are printed after 1, 5 and 21
 * rounds: a session that keeps what it showed grows with every round. Two kinds of client: {@link UidlClient}s
 * (the load driver of {@link UidlLoadBenchmark}, which answers no question the server asks the page, such as its
 * window's width) and Chromium pages clicking the side navigation. Production jar ({@link ProductionJar}), every full
 * GC compacting ({@link SessionHeapBenchmark#EXACT_HISTOGRAM}). Asserts nothing. Not part of {@code mvn verify}; build
 * the jar first, then {@code mvn test -Dtest=SessionGrowthBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.sessions}, default 20 drivers and 5 browsers).
 */
class SessionGrowthBenchmark {

    static final int PORT = Integer.getInteger("bench.port", 18470);
    static final String BASE = "http://localhost:" + PORT;
    static final int ROUNDS = 21;

    /** Route and the element that shows it was served, in the order a round visits them. */
    static final String[][] PAGES = { { "requests", "my-requests-grid" }, { "keys", "keys-grid" }, { "requests/new",
            "request-purpose" }, { "", "home" } };

    static final List<String> COUNTED = List.of("com.vaadin.flow.internal.StateNode",
            "com.vaadin.flow.component.grid.Grid", "com.vaadin.flow.component.grid.Grid$Column");

    @Test
    void driverSessions() throws Exception {
        int sessions = Integer.getInteger("bench.sessions", 20);
        try (ProductionJar portal = ProductionJar.start(PORT, "session-growth",
                SessionHeapBenchmark.EXACT_HISTOGRAM)) {
            HttpClient http = UidlClient.sharedHttp();
            round(login(http, "mike")); // class loading and caches are not the sessions' cost
            Map<String, Long> before = portal.histogram();
            List<UidlClient> clients = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                clients.add(login(http, i % 2 == 0 ? "alice" : "bob"));
            }
            goRound("UIDL driver", portal, before, clients, SessionGrowthBenchmark::round);
        }
    }

    @Test
    void browserSessions() throws Exception {
        int sessions = Integer.getInteger("bench.sessions", 5);
        List<BrowserContext> browsers = new ArrayList<>();
        try (ProductionJar portal = ProductionJar.start(PORT, "session-growth",
                SessionHeapBenchmark.EXACT_HISTOGRAM)) {
            round(browser(browsers));
            Map<String, Long> before = portal.histogram();
            List<Page> pages = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                pages.add(browser(browsers));
            }
            goRound("Chromium", portal, before, pages, SessionGrowthBenchmark::round);
        } finally {
            browsers.forEach(BrowserContext::close);
        }
    }

    /** A way round the pages for one session. */
    interface Round<T> {
        void go(T session) throws Exception;
    }

    /** Reports after the logins, then sends every session round the pages {@link #ROUNDS} times, reporting on the way. */
    private static <T> void goRound(String client, ProductionJar portal, Map<String, Long> before, List<T> sessions,
            Round<T> round) throws Exception {
        report(client, "logged in", before, portal.histogram(), sessions.size());
        for (int r = 1; r <= ROUNDS; r++) {
            for (T session : sessions) {
                round.go(session);
            }
            if (r == 1 || r == 5 || r == ROUNDS) {
                report(client, r + " rounds", before, portal.histogram(), sessions.size());
            }
        }
    }

    private static UidlClient login(HttpClient http, String user) throws Exception {
        UidlClient client = new UidlClient(http, BASE);
        if (!UidlClient.shows(client.login(user, user + "-demo"), "home")) {
            throw new IllegalStateException(user + " did not land on home");
        }
        return client;
    }

    private static void round(UidlClient client) throws Exception {
        for (String[] page : PAGES) {
            if (!UidlClient.shows(client.navigate(page[0]), page[1])) {
                throw new IllegalStateException("/" + page[0] + " did not show #" + page[1]);
            }
        }
    }

    private static Page browser(List<BrowserContext> browsers) {
        BrowserContext b = Browsers.chromium().newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        browsers.add(b);
        return E2ESupport.loginAs(b.newPage(), BASE, "alice");
    }

    /** A click on the side navigation's link, as a user moves within one UI (no page load). */
    private static void round(Page page) {
        for (String[] p : PAGES) {
            page.evaluate("route => [...document.querySelectorAll('#main-nav vaadin-side-nav-item')]"
                    + ".find(i => (i.path || '').replace(/^\\//, '') === route).shadowRoot.querySelector('a').click()",
                    p[0]);
            page.locator("#" + p[1]).waitFor();
        }
    }

    private static void report(String client, String when, Map<String, Long> before, Map<String, Long> after,
            int sessions) {
        StringBuilder line = new StringBuilder(String.format("SESSION-GROWTH: %s, %d sessions, %-10s live heap %,5d KB"
                + " per session", client, sessions, when + ":", (after.get("Total") - before.get("Total")) / 1024
                        / sessions));
        for (String cls : COUNTED) {
            line.append(String.format("; %s %,d B", cls.substring(cls.lastIndexOf('.') + 1), (after.getOrDefault(cls,
                    0L) - before.getOrDefault(cls, 0L)) / sessions));
        }
        System.out.println(line);
    }
}
