package com.bedrockportal.aws.ui;

import com.bedrockportal.aws.AwsConnection;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/** Admins see how the portal reaches AWS, as whom, and whether that identity has the permissions it needs. */
@Route(value = "admin/aws", layout = MainLayout.class)
@PageTitle("AWS connection · Bedrock Access Portal")
@Menu(title = "nav.aws", order = 88, icon = "vaadin:cloud")
@RolesAllowed(PortalRole.ADMIN_ROLE)
public class AwsConnectionView extends VerticalLayout {

    private final transient AwsConnection connection;
    private final Div result = new Div();

    public AwsConnectionView(AwsConnection connection) {
        this.connection = connection;
        addClassName("portal-page");
        setId("aws-connection");
        Button again = new Button(getTranslation("aws.check"), VaadinIcon.REFRESH.create(), e -> render());
        again.setId("aws-check");
        add(new H2(getTranslation("nav.aws")), again, result);
        render();
    }

    private void render() {
        AwsConnection.Status status = connection.check();
        result.removeAll();
        Div card = new Div(new H3(getTranslation("aws.connection")));
        card.addClassName("portal-card");
        card.add(row("aws.mode", getTranslation("aws.mode." + ("aws".equalsIgnoreCase(status.mode()) ? "aws"
                : "sandbox"))), row("aws.region", status.region()));
        if (!status.endpoint().isBlank()) {
            card.add(row("aws.endpoint", status.endpoint()));
        }
        if (status.error() != null) {
            Paragraph error = new Paragraph(getTranslation("aws.unreachable", status.error()));
            error.setId("aws-error");
            error.getStyle().set("color", "var(--lumo-error-text-color)");
            card.add(error);
            result.add(card);
            return;
        }
        Paragraph identity = row("aws.identity", status.identity().arn() + " (" + status.identity().account() + ")");
        identity.setId("aws-identity");
        card.add(identity);
        Div permissions = new Div(new H3(getTranslation("aws.permissions")));
        permissions.addClassName("portal-card");
        permissions.setId("aws-permissions");
        Paragraph summary = new Paragraph(status.denied().isEmpty() ? getTranslation("aws.permissions.ok",
                status.required().size()) : getTranslation("aws.permissions.missing", status.denied().size()));
        summary.setId("aws-permissions-summary");
        summary.getStyle().set("color", status.denied().isEmpty() ? "var(--lumo-success-text-color)"
                : "var(--lumo-error-text-color)");
        UnorderedList list = new UnorderedList();
        for (String action : status.required()) {
            boolean denied = status.denied().contains(action);
            ListItem item = new ListItem((denied ? "✗ " : "✓ ") + action);
            item.getElement().setAttribute("data-allowed", String.valueOf(!denied));
            list.add(item);
        }
        permissions.add(summary, list);
        result.add(card, permissions);
    }

    private Paragraph row(String key, String value) {
        Span label = new Span(getTranslation(key) + ": ");
        label.getStyle().set("font-weight", "600");
        return new Paragraph(label, new Span(value));
    }
}
