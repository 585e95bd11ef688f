package com.bedrockportal.shortkeys.ui;

import java.util.Arrays;
import java.util.Optional;

import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.ui.UserTime;
import com.bedrockportal.shortkeys.ShortTermKeys;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.PermitAll;

/**
 * Gets a 12-hour key: after a fresh login, the key appears once in a dialog (never in the URL, the title or an
 * attribute) with its expiry and a copy button. Closing the dialog goes back to the application; coming here again
 * issues another key.
 */
@Route(value = "applications/:id/short-term-key", layout = MainLayout.class)
@PageTitle("12-hour key · Bedrock Access Portal")
@PermitAll
public class ShortTermKeyView extends VerticalLayout implements BeforeEnterObserver {

    private final transient ShortTermKeys keys;

    public ShortTermKeyView(ShortTermKeys keys) {
        this.keys = keys;
        addClassName("portal-page");
        setId("short-term-key-page");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        Optional<Long> id = event.getRouteParameters().get("id").flatMap(ShortTermKeyView::parse);
        add(new H2(getTranslation("shortkeys.page.title")));
        if (id.isEmpty()) {
            unavailable(getTranslation("shortkeys.page.none"));
            return;
        }
        ShortTermKeys.Result result = keys.issue(id.get(), null);
        if (result instanceof ShortTermKeys.LoginAgain again) {
            loginAgain(again.url());
        } else if (result instanceof ShortTermKeys.LoginNotConfirmed refused) {
            Paragraph p = new Paragraph(getTranslation("shortkeys.page.notConfirmed", refused.reason()));
            p.setId("reauth-refused");
            Button retry = new Button(getTranslation("shortkeys.page.retry"),
                    e -> e.getSource().getUI().ifPresent(ui -> ui.getPage().setLocation("/"
                            + ShortTermKeys.path(id.get()))));
            retry.setId("reauth-again");
            add(p, retry);
        } else if (result instanceof ShortTermKeys.NotAvailable no) {
            unavailable(no.reason());
        } else if (result instanceof ShortTermKeys.Issued issued) {
            show(id.get(), issued);
        }
    }

    private void loginAgain(String url) {
        Paragraph why = new Paragraph(getTranslation("shortkeys.page.reauth"));
        why.setId("reauth-why");
        Button go = new Button(getTranslation("reveal.reauth.go"),
                e -> getUI().ifPresent(ui -> ui.getPage().setLocation(url)));
        go.setId("reauth-go");
        go.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Div card = new Div(new H3(getTranslation("reveal.reauth.title")), why, go);
        card.addClassName("portal-card");
        add(card);
        // The URL is the portal's own login start, never anything the user typed.
        getElement().executeJs("setTimeout(() => window.location.assign($0), 2500)", url);
    }

    private void show(long applicationId, ShortTermKeys.Issued issued) {
        String key = new String(issued.key());
        Arrays.fill(issued.key(), '\0');
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation("shortkeys.dialog.title"));
        dialog.setId("short-term-key-dialog");
        dialog.setCloseOnOutsideClick(false);
        dialog.setMaxWidth("min(720px, 96vw)");
        Paragraph once = new Paragraph(getTranslation("shortkeys.dialog.once"));
        once.getStyle().set("font-weight", "600").set("color", "var(--lumo-error-text-color)");
        Paragraph expiry = new Paragraph(getTranslation("shortkeys.dialog.expires", UserTime.format(issued.expiresAt()),
                issued.region()));
        expiry.setId("short-term-key-expiry");
        Span value = new Span(key);
        value.setId("short-term-key");
        value.addClassName("portal-secret");
        value.getStyle().set("word-break", "break-all").set("display", "block").set("max-height", "8em")
                .set("overflow", "auto");
        Button copy = new Button(getTranslation("reveal.copy"), VaadinIcon.COPY.create());
        copy.setId("copy-short-term-key");
        copy.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        // Copies in the browser from the text already shown: the key is not sent again.
        copy.getElement().executeJs("this.addEventListener('click', () => navigator.clipboard.writeText("
                + "document.getElementById('short-term-key').textContent))");
        copy.addClickListener(e -> copy.setText(getTranslation("reveal.copied")));
        Pre env = new Pre("export AWS_BEARER_TOKEN_BEDROCK=<the key>\nexport AWS_REGION=" + issued.region());
        env.addClassName("portal-policy");
        env.addClassName("portal-wrap");
        dialog.add(once, expiry, value, copy, env);
        if (issued.shortened()) {
            Paragraph shorter = new Paragraph(getTranslation("shortkeys.dialog.shortened"));
            shorter.setId("short-term-key-shortened");
            dialog.add(shorter);
        }
        Button close = new Button(getTranslation("shortkeys.dialog.close"), e -> {
            // Through this view's UI: once the dialog is closed, its button is no longer attached to one. A full
            // page load: the application page is built afresh and this page (which showed the key) is gone.
            getUI().ifPresent(ui -> ui.getPage().setLocation("/applications/" + applicationId));
            dialog.close();
        });
        close.setId("short-term-key-close");
        dialog.getFooter().add(close);
        Paragraph shown = new Paragraph(getTranslation("shortkeys.page.shown", UserTime.format(issued.expiresAt())));
        shown.setId("short-term-key-shown");
        add(shown);
        dialog.open();
    }

    private void unavailable(String reason) {
        Paragraph p = new Paragraph(reason);
        p.setId("short-term-key-unavailable");
        add(p);
    }

    private static Optional<Long> parse(String s) {
        try {
            return Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
