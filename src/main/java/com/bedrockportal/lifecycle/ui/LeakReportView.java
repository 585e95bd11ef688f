package com.bedrockportal.lifecycle.ui;

import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.lifecycle.Compromises;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.ui.FormErrors;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/**
 * Security's "Report a leaked key": paste a key or its beginning; a live key that matches is disabled and a case
 * opened. The field is a password field (not shown, not kept by the browser), cleared after every attempt; the answer
 * says whether a key matched and the case number, never whose key it is.
 */
@Route(value = "compromise/leak", layout = MainLayout.class)
@PageTitle("Report a leaked key · Bedrock Access Portal")
@Menu(title = "nav.leak", order = 67, icon = "vaadin:bug")
@RolesAllowed(PortalRole.SECURITY_ROLE)
public class LeakReportView extends VerticalLayout {

    private final transient Compromises compromises;
    private final PasswordField key = new PasswordField();
    private final TextField where = new TextField();
    private final Paragraph outcome = new Paragraph();
    private final Anchor caseLink = new Anchor();

    public LeakReportView(Compromises compromises) {
        this.compromises = compromises;
        addClassName("portal-page");
        setId("leak-report");
        key.setLabel(getTranslation("compromise.leak.key"));
        key.setId("leak-key");
        key.setMaxLength(Compromises.MAX_PASTE);
        key.setRevealButtonVisible(false);
        key.setWidth("min(640px, 95vw)");
        key.getElement().setAttribute("autocomplete", "off");
        where.setLabel(getTranslation("compromise.leak.where"));
        where.setId("leak-reason");
        where.setMaxLength(Compromises.MAX_REASON);
        where.setWidth("min(640px, 95vw)");
        outcome.setId("leak-outcome");
        caseLink.setId("leak-case");
        caseLink.setVisible(false);
        Button submit = new Button(getTranslation("compromise.leak.submit"), e -> submit());
        submit.setId("leak-submit");
        submit.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        add(new H2(getTranslation("compromise.leak.title")), new Paragraph(getTranslation("compromise.leak.intro")),
                key, where, submit, outcome, caseLink);
    }

    private void submit() {
        FormErrors.mark(key, null);
        FormErrors.mark(where, null);
        outcome.setText("");
        // No answer is shown until this attempt's own: a refusal left by the last one is gone.
        outcome.getElement().removeAttribute("data-result");
        caseLink.setVisible(false);
        char[] pasted = key.getValue().toCharArray();
        // The field never keeps the key, whatever the answer.
        key.clear();
        try {
            Compromises.LeakOutcome o = compromises.reportLeak(pasted, where.getValue());
            switch (o.result()) {
                case FOUND -> outcome.setText(getTranslation("compromise.leak.found", o.caseId()));
                case ALREADY_OPEN -> outcome.setText(getTranslation("compromise.leak.alreadyOpen", o.caseId()));
                case NONE -> outcome.setText(getTranslation("compromise.leak.none"));
            }
            outcome.getElement().setAttribute("data-result", o.result().name());
            if (o.caseId() != null) {
                caseLink.setHref("compromise/" + o.caseId());
                caseLink.setText(getTranslation("compromise.leak.open"));
                caseLink.setVisible(true);
                where.clear();
            }
        } catch (FieldErrors errors) {
            outcome.getElement().setAttribute("data-result", "ERROR");
            errors.errors().forEach((field, message) -> {
                if ("key".equals(field)) {
                    FormErrors.mark(key, message);
                } else if ("reason".equals(field)) {
                    FormErrors.mark(where, message);
                }
                // Also below the button, where the answer is looked for: nothing was reported, and why.
                outcome.setText(getTranslation("compromise.leak.refused", message));
            });
        } finally {
            java.util.Arrays.fill(pasted, '\0');
        }
    }
}
