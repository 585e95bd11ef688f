package com.bedrockportal.monitoring.ui;

import java.util.List;

import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.monitoring.AccountPostureCheck;
import com.bedrockportal.monitoring.AccountPostureCheck.Check;
import com.bedrockportal.monitoring.AccountPostureCheck.Posture;
import com.bedrockportal.shared.ui.CodeBlocks;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/**
 * The account posture: the initial-setup checklist checked live against the account, one card per line with its
 * status (as a word and a colour), what was found and, for every line that is not green, the exact fix.
 */
@Route(value = "admin/posture", layout = MainLayout.class)
@PageTitle("Account posture · Bedrock Access Portal")
@Menu(title = "nav.posture", order = 72, icon = "vaadin:check-circle-o")
@RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
public class PostureView extends VerticalLayout {

    private final transient AccountPostureCheck posture;
    private final boolean admin;
    private final Paragraph checkedAt = new Paragraph();
    private final Div lines = new Div();

    public PostureView(AccountPostureCheck posture, CurrentUser currentUser) {
        this.posture = posture;
        this.admin = currentUser.has(PortalRole.ADMIN);
        addClassName("portal-page");
        setId("posture");
        Button again = new Button(getTranslation("posture.check"), VaadinIcon.REFRESH.create(), e -> show(posture
                .check()));
        again.setId("posture-check");
        again.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        again.setDisableOnClick(true);
        again.addClickListener(e -> again.setEnabled(true));
        checkedAt.setId("posture-checked-at");
        checkedAt.addClassName("portal-muted");
        lines.setId("posture-lines");
        lines.getStyle().set("display", "flex").set("flex-direction", "column").set("gap", "var(--lumo-space-m)")
                .set("width", "100%");
        HorizontalLayout toolbar = new HorizontalLayout(again, checkedAt);
        toolbar.setAlignItems(FlexComponent.Alignment.BASELINE);
        toolbar.setWrap(true);
        add(new H2(getTranslation("posture.title")), new Paragraph(getTranslation("posture.text")), toolbar, lines);
        show(posture.last().orElseGet(posture::check));
    }

    private void show(Posture result) {
        checkedAt.setText(getTranslation("posture.checkedAt", UserTime.format(result.checkedAt()),
                result.checkedBy()));
        lines.removeAll();
        result.checks().forEach(c -> lines.add(card(c)));
    }

    private Div card(Check check) {
        String item = check.item().name();
        Span badge = new Span(getTranslation("posture.status." + check.status().name()));
        badge.getElement().getThemeList().add("badge " + switch (check.status()) {
            case GREEN -> "success";
            case AMBER -> "warning";
            case RED -> "error primary";
            case UNKNOWN -> "contrast";
        });
        badge.setId("posture-status-" + item);
        H3 title = new H3(getTranslation("posture.item." + item));
        title.getStyle().set("margin", "0").set("font-size", "var(--lumo-font-size-l)");
        HorizontalLayout head = new HorizontalLayout(badge, title);
        head.setAlignItems(FlexComponent.Alignment.CENTER);
        head.setWrap(true);
        Div card = new Div(head, new Paragraph(getTranslation(check.evidenceKey(), args(check.evidenceArgs()))));
        card.addClassName("portal-card");
        card.setId("posture-line-" + item);
        card.getElement().setAttribute("data-status", check.status().name());
        card.getStyle().set("border-left", "6px solid " + switch (check.status()) {
            case GREEN -> "var(--lumo-success-color)";
            case AMBER -> "var(--lumo-warning-color, hsl(40, 100%, 45%))";
            case RED -> "var(--lumo-error-color)";
            case UNKNOWN -> "var(--lumo-contrast-50pct)";
        });
        if (check.fixKey() != null) {
            Paragraph label = new Paragraph(getTranslation("posture.fix"));
            label.getStyle().set("font-weight", "600").set("margin-bottom", "0");
            Pre fix = new Pre(getTranslation(check.fixKey(), args(check.fixArgs())));
            CodeBlocks.scrollable(fix, getTranslation("posture.fix"));
            fix.getStyle().set("white-space", "pre-wrap").set("overflow-wrap", "anywhere");
            fix.setId("posture-fix-" + item);
            card.add(label, fix);
        }
        if (check.item() == AccountPostureCheck.Item.COST_TAGS) {
            Paragraph finding = new Paragraph(getTranslation("posture.tags.finding"));
            finding.setId("posture-tags-finding");
            finding.addClassName("portal-muted");
            card.add(finding);
        }
        if (check.item() == AccountPostureCheck.Item.PERMISSIONS && admin) {
            card.add(new Anchor("admin/aws", getTranslation("posture.permissions.link")));
        }
        return card;
    }

    private static Object[] args(List<String> args) {
        return args.toArray();
    }
}
