package com.bedrockportal.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Page;

/**
 * Automated accessibility checks with axe-core (Deque's rules for WCAG 2.x A and AA): the page's findings of impact
 * serious or critical. axe looks into the open shadow roots of Vaadin's components. The script comes from the
 * {@code com.deque.html.axe-core:playwright} test dependency and is injected into the page under test.
 */
public final class Accessibility {

    private static final String AXE = load();

    /**
     * A script answering whether no visible element is in a running transition or animation. It looks into every
     * shadow root: {@code document.getAnimations()} lists only the document's own tree, not the fields' labels
     * inside Vaadin's components, whose colour change after a theme switch is what the contrast check must wait for.
     * Hidden elements do not count (see {@link #settle}), nor does an animation that never ends (a spinner).
     */
    private static final String SETTLED = """
            () => {
              const roots = [document];
              for (let i = 0; i < roots.length; i++) {
                roots[i].querySelectorAll('*').forEach(e => { if (e.shadowRoot) { roots.push(e.shadowRoot); } });
              }
              const shown = a => !(a.effect && a.effect.target && !a.effect.target.checkVisibility({
                opacityProperty: true, visibilityProperty: true }));
              const ends = a => !a.effect || a.effect.getComputedTiming().endTime !== Infinity;
              return !roots.some(r => r.getAnimations().some(a => a.playState === 'running' && shown(a) && ends(a)));
            }""";

    /** The WCAG rules checked; best practices are left out so a finding is a failure of a success criterion. */
    private static final String RUN = """
            async (contrastOnly) => {
              const r = await axe.run(document, {
                runOnly: contrastOnly ? { type: 'rule', values: ['color-contrast'] }
                  : { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
                resultTypes: ['violations']
              });
              // Vaadin's grid gives one cell tabindex 0 for its roving keyboard focus; the cell is no pointer target
              // (a click on it only moves the focus), so the links and buttons inside it are what target-size is
              // about, and they are checked.
              const gridCell = n => /^#vaadin-grid-cell-/.test(String([].concat(...n.target).pop()));
              r.violations.forEach(v => {
                if (v.id === 'target-size') { v.nodes = v.nodes.filter(n => !gridCell(n)); }
              });
              return r.violations.filter(v => v.nodes.length > 0)
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — '
                   + v.nodes.slice(0, 5).map(n => JSON.stringify(n.target) + ' ' + (n.failureSummary || '')
                       .replace(/\\s+/g, ' ')).join(' | '));
            }
            """;

    private Accessibility() {
    }

    /** The serious and critical findings on the page as it is now, one line each (empty when there are none). */
    public static List<String> seriousFindings(Page page) {
        return run(page, false);
    }

    /**
     * Only the colour-contrast findings: what changes between the light and the dark theme (the structure a page's
     * other rules check is the same in both).
     */
    public static List<String> contrastFindings(Page page) {
        return run(page, true);
    }

    /**
     * The ids of the visible grids that have a shown column without header text (a screen reader announces such a
     * column's cells with nothing to say what they are; axe rates this "minor", so it is checked here).
     */
    @SuppressWarnings("unchecked")
    public static List<String> gridsWithEmptyHeaders(Page page) {
        return (List<String>) page.evaluate("""
                () => [...document.querySelectorAll('vaadin-grid')]
                  .filter(g => g.getClientRects().length > 0)
                  .filter(g => [...g.shadowRoot.querySelectorAll('thead tr:first-child th')]
                    .filter(th => !th.hidden && th.getBoundingClientRect().width > 0)
                    .some(th => {
                      const slot = th.querySelector('slot');
                      const content = slot && slot.assignedElements()[0];
                      return !content || content.textContent.trim() === '';
                    }))
                  .map(g => g.id || '(grid without id)')
                """);
    }

    /**
     * Waits until running transitions of visible elements end (a field's label fades to its new colour after a theme
     * switch). Hidden ones do not count: Vaadin's hidden connection-status message fades its colours for 500 ms after
     * every theme switch, which cost the view tour 18 s of waiting for nothing a user sees.
     */
    public static void settle(Page page) {
        page.waitForFunction(SETTLED);
    }

    private static List<String> run(Page page, boolean contrastOnly) {
        // Colours are read as painted: transitions (a field's label after a theme switch) end first.
        settle(page);
        if (!Boolean.TRUE.equals(page.evaluate("() => typeof window.axe !== 'undefined'"))) {
            page.addScriptTag(new Page.AddScriptTagOptions().setContent(AXE));
        }
        Object result = page.evaluate(RUN, contrastOnly);
        List<String> findings = new ArrayList<>();
        if (result instanceof List<?> list) {
            list.forEach(item -> findings.add(String.valueOf(item)));
        } else if (result instanceof Map<?, ?> map) {
            map.values().forEach(item -> findings.add(String.valueOf(item)));
        }
        return findings;
    }

    private static String load() {
        try (InputStream in = Accessibility.class.getResourceAsStream("/axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException("axe.min.js is not on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
