package com.bedrockportal.notification.ui;

import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.notification.MailOutbox;
import com.bedrockportal.shared.ui.ResponsiveGrid;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/** Admins see the mails the portal sent or would have sent (without SMTP), with status, attempts and errors. */
@Route(value = "admin/outbox", layout = MainLayout.class)
@PageTitle("Mail outbox · Bedrock Access Portal")
@Menu(title = "nav.outbox", order = 90, icon = "vaadin:envelopes")
@RolesAllowed(PortalRole.ADMIN_ROLE)
public class OutboxView extends VerticalLayout {

    private final transient MailOutbox outbox;
    private final Grid<MailOutbox.Mail> grid = new Grid<>();

    public OutboxView(MailOutbox outbox) {
        this.outbox = outbox;
        addClassName("portal-page");
        setId("outbox");
        setSizeFull();
        grid.setId("outbox-grid");
        grid.addColumn(m -> UserTime.format(m.createdAt())).setHeader(getTranslation("outbox.created")).setAutoWidth(true);
        grid.addColumn(m -> getTranslation("outbox.channel." + m.channel())).setHeader(getTranslation("outbox.channel"))
                .setAutoWidth(true);
        grid.addColumn(MailOutbox.Mail::recipient).setHeader(getTranslation("outbox.to")).setAutoWidth(true);
        grid.addColumn(MailOutbox.Mail::subject).setHeader(getTranslation("outbox.subject")).setFlexGrow(1);
        grid.addColumn(MailOutbox.Mail::status).setHeader(getTranslation("outbox.status")).setAutoWidth(true);
        grid.addColumn(MailOutbox.Mail::attempts).setHeader(getTranslation("outbox.attempts")).setAutoWidth(true);
        grid.addColumn(m -> m.lastError() == null ? "" : m.lastError()).setHeader(getTranslation("outbox.error"));
        grid.addComponentColumn(this::retry).setHeader(getTranslation("grid.actions")).setAutoWidth(true);
        ResponsiveGrid.cards(grid, getTranslation("outbox.title"), m -> ResponsiveGrid.card(
                ResponsiveGrid.line(m.subject()),
                ResponsiveGrid.line(getTranslation("outbox.channel." + m.channel()), m.recipient(), m.status(),
                        "× " + m.attempts()),
                ResponsiveGrid.line(UserTime.format(m.createdAt())),
                m.lastError() == null ? null : ResponsiveGrid.line(m.lastError()), retry(m)));
        // The body keeps its lines and scrolls sideways inside its box on a narrow screen.
        grid.setItemDetailsRenderer(new com.vaadin.flow.data.renderer.ComponentRenderer<>(m -> {
            Pre body = new Pre(m.body());
            body.addClassName("portal-policy");
            return body;
        }));
        grid.setEmptyStateText(getTranslation("outbox.empty"));
        Button reload = new Button(getTranslation("outbox.reload"), VaadinIcon.REFRESH.create(), e -> refresh());
        add(new H2(getTranslation("outbox.title")), new Paragraph(getTranslation("outbox.text")), reload, grid);
        setFlexGrow(1, grid);
        refresh();
    }

    private Button retry(MailOutbox.Mail m) {
        Button retry = new Button(getTranslation("outbox.retry"), e -> {
            outbox.retry(m.id());
            refresh();
        });
        retry.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        retry.setVisible("FAILED".equals(m.status()));
        return retry;
    }

    private void refresh() {
        grid.setItems(outbox.recent(500));
    }
}
