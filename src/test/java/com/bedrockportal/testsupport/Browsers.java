package com.bedrockportal.testsupport;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.LoadState;
import com.microsoft.playwright.options.ViewportSize;

/**
 * One Playwright and one headless Chromium for the whole test JVM. Uses the system Chromium when present (CI and
 * our machines never download browsers); elsewhere falls back to Playwright's own browser.
 * <p>
 * Tests take their browser contexts from {@link #context}: a context closed by a test is emptied (pages closed,
 * cookies, permissions, routes and every origin's local storage and IndexedDB cleared) and handed to the next test, so it keeps only
 * its HTTP cache. A fresh context loads and compiles the portal's scripts again: a login took 4.0 s in a fresh
 * context and 1.0–1.7 s in an emptied one, and the browser tests open some 250 contexts.
 */
public final class Browsers {

    /** Chromium's own default, which a context made without a viewport gets. */
    private static final ViewportSize DEFAULT_VIEWPORT = new ViewportSize(1280, 720);

    /** How many times as fast pages play their transitions and animations (see {@link #quickAnimations}). */
    static final double ANIMATION_RATE = 20;

    /** Emptied contexts waiting for a test (a test holds at most a few at once). */
    private static final Deque<Pooled> POOL = new ArrayDeque<>();

    /** Contexts handed out and not yet given back: what a failing test's pages show ({@link PageStateOnFailure}). */
    private static final List<Pooled> IN_USE = new ArrayList<>();

    private static final Path SYSTEM_CHROMIUM = Path.of("/usr/bin/chromium");
    private static Playwright playwright;
    private static Browser browser;

    private Browsers() {
    }

    public static synchronized Browser chromium() {
        if (browser == null) {
            boolean system = Files.isExecutable(SYSTEM_CHROMIUM);
            Playwright.CreateOptions options = new Playwright.CreateOptions();
            if (system) {
                options.setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"));
            }
            playwright = Playwright.create(options);
            BrowserType.LaunchOptions launch = new BrowserType.LaunchOptions().setHeadless(true)
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1"));
            if (system) {
                launch.setExecutablePath(SYSTEM_CHROMIUM);
            }
            browser = playwright.chromium().launch(launch);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                browser.close();
                playwright.close();
            }));
        }
        return browser;
    }

    /** An empty browser context with Chromium's default viewport; {@code close()} gives it back. */
    public static BrowserContext context() {
        return context(null);
    }

    /**
     * An empty browser context whose pages get the viewport of {@code options} (the only option the tests use);
     * {@code close()} empties it and gives it back instead of closing it.
     */
    public static BrowserContext context(Browser.NewContextOptions options) {
        return context(options, ANIMATION_RATE);
    }

    /**
     * As {@link #context(Browser.NewContextOptions)}, with pages that play transitions and animations
     * {@code animationRate} times as fast: 1 for a page at its own speed (a benchmark timing what a person sees).
     */
    public static synchronized BrowserContext context(Browser.NewContextOptions options, double animationRate) {
        ViewportSize viewport = options != null && options.viewportSize != null && options.viewportSize.isPresent()
                ? options.viewportSize.get() : DEFAULT_VIEWPORT;
        Pooled pooled = POOL.isEmpty() ? Pooled.create() : POOL.pop();
        IN_USE.add(pooled);
        BrowserContext real = pooled.context();
        boolean[] returned = { false };
        return (BrowserContext) Proxy.newProxyInstance(Browsers.class.getClassLoader(),
                new Class<?>[] { BrowserContext.class }, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close" -> {
                            if (!returned[0]) {
                                returned[0] = true;
                                giveBack(pooled);
                            }
                            return null;
                        }
                        case "newPage" -> {
                            Page page = real.newPage();
                            page.setViewportSize(viewport.width, viewport.height);
                            if (animationRate != 1) {
                                quickAnimations(real, page, animationRate);
                            }
                            return page;
                        }
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        default -> {
                            try {
                                return method.invoke(real, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
    }

    /**
     * Plays the page's CSS transitions and animations {@code animationRate} times as fast (DevTools' animation speed,
     * for every document the page loads): a theme switch's colour fades, overlays opening and closing. Tests wait for
     * what the page shows when they end, never for their length; nothing but the time they take changes.
     */
    private static void quickAnimations(BrowserContext context, Page page, double animationRate) {
        CDPSession cdp = context.newCDPSession(page);
        cdp.send("Animation.enable");
        JsonObject rate = new JsonObject();
        rate.addProperty("playbackRate", animationRate);
        cdp.send("Animation.setPlaybackRate", rate);
    }

    /** The open pages of every context handed out and not yet given back, oldest context first. */
    static synchronized List<Page> openPages() {
        List<Page> pages = new ArrayList<>();
        IN_USE.forEach(pooled -> pages.addAll(pooled.context().pages()));
        return pages;
    }

    /** A context of the pool and the origins its pages have been to since it was last emptied. */
    private record Pooled(BrowserContext context, Set<String> origins) {

        static Pooled create() {
            Pooled pooled = new Pooled(chromium().newContext(), new LinkedHashSet<>());
            pooled.context().onPage(page -> page.onFrameNavigated(frame -> {
                if (frame.parentFrame() == null && frame.url().startsWith("http")) {
                    URI uri = URI.create(frame.url());
                    pooled.origins().add(uri.getScheme() + "://" + uri.getRawAuthority());
                }
            }));
            return pooled;
        }
    }

    /** Empties a context of everything a test left in it but its HTTP cache, and puts it back in the pool. */
    private static synchronized void giveBack(Pooled pooled) {
        IN_USE.removeIf(used -> used == pooled); // by identity: a record's hash follows its origins
        BrowserContext context = pooled.context();
        try {
            for (Page page : List.copyOf(context.pages())) {
                // A page closed while a navigation commits can leave Chromium's close unanswered for minutes
                // (microsoft/playwright#42366): let a navigation the test started finish first, a few seconds at most.
                try {
                    page.waitForLoadState(LoadState.LOAD, new Page.WaitForLoadStateOptions().setTimeout(5_000));
                } catch (PlaywrightException stillLoading) {
                    // closed as it is
                }
                page.close();
            }
            context.unrouteAll();
            context.clearCookies();
            context.clearPermissions();
            context.setDefaultTimeout(30_000);
            context.setDefaultNavigationTimeout(30_000);
            if (!pooled.origins().isEmpty()) {
                clearStoredData(context, pooled.origins());
                pooled.origins().clear();
            }
            POOL.push(pooled);
        } catch (RuntimeException e) {
            // A context that cannot be emptied is not handed out again.
            context.close();
        }
    }

    /**
     * Local storage and IndexedDB of the origins the context's pages went to (what the portal, its theme choice, and
     * Swagger UI keep). Neither registers a service worker or uses cache storage: clearing them as well did nothing
     * here but give Chromium more to do in a CDP call that has no timeout.
     */
    private static void clearStoredData(BrowserContext context, Set<String> origins) {
        Page blank = context.newPage();
        try {
            CDPSession cdp = context.newCDPSession(blank);
            for (String origin : origins) {
                JsonObject clear = new JsonObject();
                clear.addProperty("origin", origin);
                clear.addProperty("storageTypes", "local_storage,indexeddb");
                cdp.send("Storage.clearDataForOrigin", clear);
            }
            cdp.detach();
        } finally {
            blank.close();
        }
    }
}
