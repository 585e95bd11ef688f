package com.bedrockportal.key.ui;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.KeyReveal;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.NativeLabel;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteAlias;

import jakarta.annotation.security.PermitAll;

/**
 * The one-time reveal. The key appears once, as text (never in the URL, the title or an attribute), with a
 * ready-to-paste {@code .env} snippet; a reload shows only when and by whom it was revealed.
 */
@Route(value = "keys/reveal/:requestId", layout = MainLayout.class)
@RouteAlias(value = "keys/reveal/key/:keyId", layout = MainLayout.class)
@PageTitle("Reveal API key · Bedrock Access Portal")
@PermitAll
public class RevealView extends VerticalLayout implements BeforeEnterObserver {

    private final transient KeyReveal reveal;
    private final transient BusinessUnitService units;

    public RevealView(KeyReveal reveal, BusinessUnitService units) {
        this.reveal = reveal;
        this.units = units;
        addClassName("portal-page");
        setId("reveal");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        Optional<Long> requestId = event.getRouteParameters().get("requestId").flatMap(RevealView::parse);
        Optional<Long> keyId = event.getRouteParameters().get("keyId").flatMap(RevealView::parse);
        if (requestId.isEmpty() && keyId.isEmpty()) {
            unavailable(getTranslation("reveal.none"));
            return;
        }
        KeyReveal.Result result = requestId.isPresent() ? reveal.reveal(requestId.get())
                : reveal.revealKey(keyId.get());
        String path = requestId.isPresent() ? "/keys/reveal/" + requestId.get() : "/keys/reveal/key/" + keyId.get();
        if (result instanceof KeyReveal.LoginAgain again) {
            loginAgain(again.url());
        } else if (result instanceof KeyReveal.LoginNotConfirmed refused) {
            notConfirmed(path, refused.reason());
        } else if (result instanceof KeyReveal.NotAvailable no) {
            unavailable(no.reason());
        } else if (result instanceof KeyReveal.AlreadyRevealed done) {
            add(new H2(getTranslation("reveal.title")));
            boolean delivered = done.delivered();
            Paragraph p = new Paragraph(delivered ? getTranslation("reveal.delivered", UserTime.format(done.at()))
                    : getTranslation("reveal.already", UserTime.format(done.at()), done.by()));
            p.setId("already-revealed");
            add(p);
            if (!delivered) {
                add(new Paragraph(getTranslation("reveal.lost")));
            }
        } else if (result instanceof KeyReveal.Revealed shown) {
            show(shown);
        }
    }

    /**
     * Says why the login form comes again before it does: the key is shown only after a fresh login. The browser
     * moves on by itself after a moment; the button goes at once.
     */
    private void loginAgain(String url) {
        Paragraph why = new Paragraph(getTranslation("reveal.reauth.text"));
        why.setId("reauth-why");
        Button go = new Button(getTranslation("reveal.reauth.go"),
                e -> getUI().ifPresent(ui -> ui.getPage().setLocation(url)));
        go.setId("reauth-go");
        go.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Div card = new Div(new H3(getTranslation("reveal.reauth.title")), why, go);
        card.addClassName("portal-card");
        add(new H2(getTranslation("reveal.title")), card);
        // The URL is the portal's own login start, never anything the user typed.
        getElement().executeJs("setTimeout(() => window.location.assign($0), 2500)", url);
    }

    private void show(KeyReveal.Revealed shown) {
        long keyId = shown.meta().id();
        String key = new String(shown.key());
        Arrays.fill(shown.key(), '\0');
        String region = shown.region() == null ? "us-east-1" : shown.region();
        String slug = units.find(shown.meta().businessUnitId()).map(u -> u.slug()).orElse("my-team");

        add(new H2(getTranslation("reveal.title")));
        Paragraph once = new Paragraph(getTranslation("reveal.once"));
        once.getStyle().set("font-weight", "600").set("color", "var(--lumo-error-text-color)");
        Span value = new Span(key);
        value.setId("revealed-key");
        value.addClassName("portal-secret");
        Button copy = new Button(getTranslation("reveal.copy"), VaadinIcon.COPY.create());
        copy.setId("copy-key");
        copy.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        // Copies in the browser from the text already shown: the key is not sent again.
        copy.getElement().executeJs("this.addEventListener('click', () => navigator.clipboard.writeText("
                + "document.getElementById('revealed-key').textContent))");
        copy.addClickListener(e -> copy.setText(getTranslation("reveal.copied")));
        Div keyCard = new Div(once, value, copy);
        keyCard.addClassName("portal-card");

        Pre env = new Pre("AWS_BEARER_TOKEN_BEDROCK=" + key + "\nAWS_REGION=" + region + "\n");
        env.setId("env-snippet");
        env.addClassName("portal-policy");
        env.addClassName("portal-wrap");
        String model = shown.exampleModel() == null ? "amazon.nova-lite-v1:0" : shown.exampleModel();
        Pre curl = new Pre("curl -sS \"https://bedrock-runtime." + region + ".amazonaws.com/model/" + model
                + "/converse\" \\\n  -H \"Authorization: Bearer $AWS_BEARER_TOKEN_BEDROCK\" \\\n"
                + "  -H \"Content-Type: application/json\" \\\n"
                + "  -d '{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hello\"}]}]}'");
        curl.addClassName("portal-policy");
        // A stored copy by its ARN; otherwise the name provisioning gives the key's application.
        // A rotation's new key waits in the copy as AWSPENDING and becomes its current value once revealed.
        Pre secrets = new Pre(shown.meta().secretArn() != null ? getTranslation(shown.meta().requestId() == 0
                ? "reveal.secret.rotated" : "reveal.secret.stored", shown.meta().secretArn())
                : "aws secretsmanager create-secret --name " + secretName(slug, shown.meta().iamUser())
                        + " --secret-string \"$AWS_BEARER_TOKEN_BEDROCK\" --region " + region);
        secrets.setId("secrets-snippet");
        secrets.addClassName("portal-policy");
        secrets.addClassName("portal-wrap");
        Div howTo = new Div(new H3(getTranslation("reveal.env")), env, new H3(getTranslation("reveal.curl")), curl,
                new H3(getTranslation("reveal.secrets")), secrets);
        howTo.addClassName("portal-card");

        List<Checkbox> items = new ArrayList<>();
        for (String k : List.of("reveal.check.stored", "reveal.check.git", "reveal.check.expiry")) {
            Checkbox box = new Checkbox(getTranslation(k, UserTime.format(shown.meta().expiresAt())));
            box.getElement().setAttribute("data-check", k);
            items.add(box);
        }
        Span recorded = new Span();
        recorded.setId("checklist-recorded");
        Button done = new Button(getTranslation("reveal.check.done"), e -> {
            List<String> checked = items.stream().filter(Checkbox::getValue).map(Checkbox::getLabel).toList();
            reveal.acknowledgeKey(keyId, checked);
            recorded.setText(getTranslation("reveal.check.recorded", checked.size()));
        });
        done.setId("checklist-done");
        Div checklist = new Div(new H3(getTranslation("reveal.check.title")));
        items.forEach(checklist::add);
        checklist.add(new Div(done, recorded));
        checklist.addClassName("portal-card");
        checklist.setId("reveal-checklist");
        add(keyCard, howTo, checklist, new NativeLabel(getTranslation("reveal.prefix", shown.meta().prefix())));
    }

    private void notConfirmed(String path, String reason) {
        add(new H2(getTranslation("reveal.title")));
        Paragraph p = new Paragraph(getTranslation("reveal.notConfirmed"));
        p.setId("reauth-refused");
        Paragraph why = new Paragraph(getTranslation("reveal.notConfirmed.reason", reason));
        why.addClassName("portal-muted");
        // A full page load: the reveal page then starts a new re-login at the provider.
        Button again = new Button(getTranslation("reveal.notConfirmed.again"),
                e -> e.getSource().getUI().ifPresent(ui -> ui.getPage().setLocation(path)));
        again.setId("reauth-again");
        again.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add(p, why, again);
    }

    private void unavailable(String reason) {
        add(new H2(getTranslation("reveal.title")));
        Paragraph p = new Paragraph(reason);
        p.setId("reveal-unavailable");
        add(p);
    }

    /**
     * The Secrets Manager name of the key's application, {@code {unit}/{app}/bedrock/api-key}, read from its IAM user
     * {@code {unit}-{app}-bedrock} (the application module's naming, which this module may not call); a unit's key of
     * before applications ({@code {unit}-bedrock-user}) had {@code {unit}/bedrock/api-key}.
     */
    static String secretName(String unitSlug, String iamUser) {
        String prefix = unitSlug + "-";
        if (iamUser != null && iamUser.startsWith(prefix) && iamUser.endsWith("-bedrock")
                && iamUser.length() > prefix.length() + "-bedrock".length()) {
            return unitSlug + "/" + iamUser.substring(prefix.length(), iamUser.length() - "-bedrock".length())
                    + "/bedrock/api-key";
        }
        return unitSlug + "/bedrock/api-key";
    }

    private static Optional<Long> parse(String s) {
        try {
            return Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
