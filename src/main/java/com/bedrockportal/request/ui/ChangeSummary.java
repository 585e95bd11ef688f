package com.bedrockportal.request.ui;

import java.util.List;
import java.util.stream.Collectors;

import com.bedrockportal.request.AccessChange;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.GuardrailChange;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.function.SerializableFunction;

/**
 * What a change adds and removes, and which approval path it takes — shown the same way to the requester on the form
 * and to the manager and security on the request page. Added items carry {@code data-change="added"}, removed ones
 * {@code "removed"}; the path line {@code data-path="manager"} or {@code "security"}.
 */
public class ChangeSummary extends Div {

    private final UnorderedList items = new UnorderedList();
    private final Paragraph path = new Paragraph();
    private final Span title = new Span();
    private static final long serialVersionUID = 1L;

    private final SerializableFunction<String, String> modelName;

    /** {@code modelName} turns a model id into what people read (the catalog's name). */
    public ChangeSummary(String idPrefix, SerializableFunction<String, String> modelName) {
        this.modelName = modelName;
        title.setText(getTranslation("request.diff.title"));
        title.getStyle().set("font-weight", "600");
        Span pathTitle = new Span(getTranslation("request.path.title"));
        pathTitle.getStyle().set("font-weight", "600");
        items.setId(idPrefix + "-diff");
        path.setId(idPrefix + "-path");
        path.getStyle().set("margin-top", "0");
        add(pathTitle, path, title, items);
    }

    /** Shows a request's or draft's path; the difference (with the guardrail its policy requires) only for a change. */
    public void show(AccessRequest.Kind kind, AccessChange change, boolean securityReview, GuardrailChange guardrail) {
        items.removeAll();
        boolean isChange = kind == AccessRequest.Kind.CHANGE;
        items.setVisible(isChange);
        title.setVisible(isChange);
        if (!isChange) {
            path.setText(getTranslation("request.path.new"));
            path.getElement().setAttribute("data-path", "security");
            return;
        }
        if (securityReview) {
            // Nothing widened, yet security reviews it: it removes or replaces the guardrail the policy requires.
            path.setText(getTranslation("request.path.security", change.widens() ? change.widenings().stream()
                    .sorted().map(w -> getTranslation("widening." + w.name())).collect(Collectors.joining(", "))
                    : getTranslation("widening.GUARDRAIL")));
        } else {
            path.setText(getTranslation(change.renewal() ? "request.path.renewal" : "request.path.managerOnly"));
        }
        path.getElement().setAttribute("data-path", securityReview ? "security" : "manager");
        line(change.modelsAdded(), "request.diff.modelsAdded", "added", true);
        line(change.modelsRemoved(), "request.diff.modelsRemoved", "removed", true);
        line(change.regionsAdded(), "request.diff.regionsAdded", "added", false);
        line(change.regionsRemoved(), "request.diff.regionsRemoved", "removed", false);
        if (!change.cidrsRemoved().isEmpty() && change.cidrsAdded().isEmpty()
                && change.widenings().contains(AccessChange.Widening.SOURCE_IPS_WIDENED)) {
            item(getTranslation("request.diff.cidrsLifted"), "added");
        } else {
            line(change.cidrsAdded(), "request.diff.cidrsAdded", "added", false);
            line(change.cidrsRemoved(), "request.diff.cidrsRemoved", "removed", false);
        }
        if (change.lifetimeBefore() != change.lifetimeAfter()) {
            item(getTranslation("request.diff.lifetime", change.lifetimeBefore(), change.lifetimeAfter()),
                    change.lifetimeAfter() > change.lifetimeBefore() ? "added" : "removed");
        }
        if (change.budgetBefore().compareTo(change.budgetAfter()) != 0) {
            item(getTranslation("request.diff.budget", money(change.budgetBefore()), money(change.budgetAfter())),
                    change.budgetAfter().compareTo(change.budgetBefore()) > 0 ? "added" : "removed");
        }
        if (change.secretBefore() != change.secretAfter()) {
            item(getTranslation("request.diff.secret", yesNo(change.secretBefore()), yesNo(change.secretAfter())),
                    change.secretAfter() ? "added" : "removed");
        }
        if (change.classificationBefore() != change.classificationAfter()) {
            item(getTranslation("request.diff.classification",
                    getTranslation("classification." + change.classificationBefore().name()),
                    getTranslation("classification." + change.classificationAfter().name())),
                    change.classificationAfter().compareTo(change.classificationBefore()) > 0 ? "added" : "removed");
        }
        if (guardrail.changed()) {
            // Removing or replacing the required guardrail lifts a condition on every call; requiring one narrows.
            item(getTranslation("request.diff.guardrail", guardrailName(guardrail.before()),
                    guardrailName(guardrail.after())), guardrail.lifted() ? "added" : "removed");
        }
        item(getTranslation(change.renewal() ? "request.diff.renewal"
                : change.newKey() ? "request.diff.newKey" : "request.diff.noNewKey"),
                change.newKey() ? "added" : "same");
    }

    private void line(List<String> values, String key, String kind, boolean models) {
        if (!values.isEmpty()) {
            item(getTranslation(key, values.stream().map(v -> models ? modelName.apply(v) : v)
                    .collect(Collectors.joining(", "))), kind);
        }
    }

    private void item(String text, String kind) {
        ListItem item = new ListItem((kind.equals("added") ? "+ " : kind.equals("removed") ? "− " : "") + text);
        item.getElement().setAttribute("data-change", kind);
        if (!kind.equals("same")) {
            item.getStyle().set("color", kind.equals("added") ? "var(--lumo-warning-text-color, #8a5a00)"
                    : "var(--lumo-success-text-color)");
        }
        items.add(item);
    }

    private static String money(java.math.BigDecimal amount) {
        return amount.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    private String guardrailName(String arn) {
        return arn == null ? getTranslation("request.change.guardrail.none") : arn;
    }

    private String yesNo(boolean value) {
        return getTranslation(value ? "detail.yes" : "detail.no");
    }
}
