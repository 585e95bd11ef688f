package com.bedrockportal.request.ui;

import java.util.Comparator;
import java.util.List;

import com.bedrockportal.request.LintFinding;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;

/**
 * The policy lint's findings as a list: errors first, then warnings, then what passed; each with its severity, what
 * was found and the fix. The request form updates it as the user types; the approval page shows the same list.
 */
public final class LintList extends Div {

    private final Div items = new Div();

    public LintList(String id) {
        setId(id);
        addClassName("portal-card");
        addClassName("lint-list");
        add(new H3(getTranslation("lint.title")), new Paragraph(getTranslation("lint.text")), items);
    }

    public void show(List<LintFinding> findings) {
        items.removeAll();
        findings.stream().sorted(Comparator.comparing(LintFinding::severity)).forEach(f -> items.add(item(f)));
    }

    private Div item(LintFinding f) {
        Span badge = new Span(getTranslation("lint.severity." + f.severity().name()));
        badge.getElement().getThemeList().add(switch (f.severity()) {
            case ERROR -> "badge error";
            case WARNING -> "badge warning";
            case OK -> "badge success";
            case SKIPPED -> "badge contrast";
        });
        badge.addClassName("lint-badge");
        Span text = new Span(f.text());
        text.addClassName("lint-text");
        Div item = new Div(badge, text);
        if (!f.fix().isBlank()) {
            Div fix = new Div(getTranslation("lint.fix", f.fix()));
            fix.addClassName("lint-fix");
            item.add(fix);
        }
        item.addClassName("lint-item");
        item.addClassName("lint-" + f.severity().name().toLowerCase(java.util.Locale.ROOT));
        item.getElement().setAttribute("data-rule", f.rule().name());
        item.getElement().setAttribute("data-severity", f.severity().name());
        return item;
    }
}
