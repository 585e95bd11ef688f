package com.bedrockportal.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.bedrockportal.shared.logging.SecretMasking;
import com.microsoft.playwright.Page;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * When a browser test fails, its failure message also says what its open pages showed at that moment: each page's
 * address, the messages under its fields, its notifications and whether Vaadin was still waiting for the server. A
 * CI run shows only the end of its log; this puts the page's side of a failure into the line that names the test.
 * The texts pass through the portal's secret masking (the log's), and each is cut short. Reading a page that is
 * itself broken (closed, mid-navigation) gives a note instead of a second failure; the test's own failure and its
 * stack trace are what is thrown.
 */
public final class PageStateOnFailure implements TestExecutionExceptionHandler {

    static final int MAX_TEXTS = 8;
    static final int MAX_CHARS = 160;

    /** What is read of a page: the messages under its fields, its notifications, Vaadin's connection state. */
    private static final String READ = """
            () => {
              const shown = e => e.offsetParent !== null || e.getClientRects().length > 0;
              const texts = sel => [...document.querySelectorAll(sel)].filter(shown)
                  .map(e => e.textContent.trim()).filter(t => t.length > 0);
              const indicator = document.querySelector('vaadin-connection-indicator');
              const state = indicator ? ['loading', 'reconnecting', 'offline']
                  .filter(a => indicator.hasAttribute(a)) : [];
              return { errors: texts('[slot="error-message"]'),
                       notices: texts('vaadin-notification-card'),
                       state: state };
            }""";

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (failure instanceof TestAbortedException) {
            throw failure; // an assumption not met: skipped, not failed
        }
        List<Page> pages;
        try {
            pages = Browsers.openPages();
        } catch (RuntimeException unreadable) {
            throw failure;
        }
        if (pages.isEmpty()) {
            throw failure;
        }
        AssertionError described = new AssertionError(failure.getMessage() + "\n" + describe(pages), failure);
        described.setStackTrace(failure.getStackTrace());
        throw described;
    }

    /** One line per open page. */
    static String describe(List<Page> pages) {
        StringBuilder text = new StringBuilder("Open pages when the test failed:");
        int n = 0;
        for (Page page : pages) {
            text.append("\n  page ").append(++n).append(": ").append(describe(page));
        }
        return SecretMasking.mask(text.toString());
    }

    @SuppressWarnings("unchecked")
    private static String describe(Page page) {
        if (page.isClosed()) {
            return "closed";
        }
        String url = page.url();
        try {
            Map<String, Object> read = (Map<String, Object>) page.evaluate(READ);
            List<String> parts = new ArrayList<>();
            parts.add(url);
            add(parts, "field messages", (List<Object>) read.get("errors"));
            add(parts, "notifications", (List<Object>) read.get("notices"));
            add(parts, "Vaadin", (List<Object>) read.get("state"));
            return String.join("; ", parts);
        } catch (RuntimeException unreadable) {
            return url + " (not readable: " + cut(String.valueOf(unreadable.getMessage()).lines().findFirst()
                    .orElse("")) + ")";
        }
    }

    private static void add(List<String> parts, String what, List<Object> texts) {
        if (texts == null || texts.isEmpty()) {
            return;
        }
        List<String> cut = texts.stream().limit(MAX_TEXTS).map(t -> "\"" + cut(String.valueOf(t)) + "\"").toList();
        parts.add(what + " " + String.join(", ", cut) + (texts.size() > MAX_TEXTS ? " and " + (texts.size()
                - MAX_TEXTS) + " more" : ""));
    }

    private static String cut(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_CHARS ? oneLine : oneLine.substring(0, MAX_CHARS) + "…";
    }
}
