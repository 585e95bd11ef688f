package com.bedrockportal.sandbox.ui;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.function.Consumer;

import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.ServiceCredentials.ServiceCredential;
import com.bedrockportal.sandbox.SandboxConsole;
import com.bedrockportal.shared.ui.ResponsiveGrid;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.renderer.LitRenderer;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/**
 * The simulated account's console (ADMIN, sandbox mode only: the route is registered only when the simulated account
 * runs): make drift in an application's resources as someone in the AWS console would, and change the fault
 * injection at run time. For demos and tests; every change is audited.
 */
@Route(value = "admin/sandbox", layout = MainLayout.class, registerAtStartup = false)
@PageTitle("Simulated account · Bedrock Access Portal")
@Menu(title = "nav.sandbox", order = 89, icon = "vaadin:flask")
@RolesAllowed(PortalRole.ADMIN_ROLE)
public class SandboxView extends VerticalLayout {

    private final transient SandboxConsole console;
    private final ComboBox<SandboxConsole.AppTarget> app = new ComboBox<>();
    private final Grid<ServiceCredential> keys = new Grid<>();
    private final TextField callIp = new TextField();

    public SandboxView(SandboxConsole console) {
        this.console = console;
        addClassName("portal-page");
        setId("sandbox");
        app.setId("sandbox-app");
        app.setLabel(getTranslation("sandbox.application"));
        // A page at a time, filtered in SQL as the admin types (slug or IAM user): any application can be reached.
        app.setItems(query -> console.applications(query.getFilter().orElse(""), query.getOffset(), query.getLimit())
                .stream());
        // The field shows the slug (at most 32 characters, whole at a phone's width); the list and the line under the
        // field the IAM user too (up to 64 characters), which tells apart two units' applications of one slug.
        app.setItemLabelGenerator(SandboxConsole.AppTarget::slug);
        // Rendered in the browser: no server-side components per listed item (a page holds up to 200).
        app.setRenderer(LitRenderer.<SandboxConsole.AppTarget>of(
                "<div>${item.slug}</div><div class=\"portal-muted portal-break\">${item.iamUser}</div>")
                .withProperty("slug", SandboxConsole.AppTarget::slug)
                .withProperty("iamUser", SandboxConsole.AppTarget::iamUser));
        app.setWidth("min(520px, 95vw)");
        app.addValueChangeListener(e -> {
            app.setHelperText(e.getValue() == null ? null : getTranslation("sandbox.application.iamUser",
                    e.getValue().iamUser()));
            refreshKeys();
        });

        HorizontalLayout drift = new HorizontalLayout(
                button("sandbox-add-key", "sandbox.addKey", a -> {
                    String id = console.addKeyOutsidePortal(a.iamUser());
                    done(getTranslation("sandbox.addKey.done", id));
                }),
                button("sandbox-edit-policy", "sandbox.editPolicy", a -> {
                    console.editPolicy(a.iamUser());
                    done(getTranslation("sandbox.done"));
                }),
                button("sandbox-delete-policy", "sandbox.deletePolicy", a -> {
                    console.deletePolicy(a.iamUser());
                    done(getTranslation("sandbox.done"));
                }),
                button("sandbox-delete-budget", "sandbox.deleteBudget", a -> {
                    console.deleteBudget(a.budgetName());
                    done(getTranslation("sandbox.done"));
                }),
                button("sandbox-delete-secret", "sandbox.deleteSecret", a -> {
                    console.deleteSecret(a.secretName());
                    done(getTranslation("sandbox.done"));
                }));
        drift.setWrap(true);

        keys.setId("sandbox-keys");
        keys.addColumn(ServiceCredential::credentialId).setHeader(getTranslation("sandbox.key.id")).setAutoWidth(true);
        keys.addColumn(ServiceCredential::status).setHeader(getTranslation("sandbox.key.status")).setAutoWidth(true);
        keys.addColumn(c -> UserTime.format(c.createdAt())).setHeader(getTranslation("sandbox.key.created"))
                .setAutoWidth(true);
        keys.addComponentColumn(c -> keyActions(c, true)).setHeader(getTranslation("grid.actions")).setAutoWidth(true);
        // At phone width one column: the key, its status and creation, then the same actions without ids.
        ResponsiveGrid.cards(keys, getTranslation("sandbox.keys"), c -> ResponsiveGrid.card(
                new Span(c.credentialId()), ResponsiveGrid.line(c.status(), UserTime.format(c.createdAt())),
                keyActions(c, false)));
        keys.setEmptyStateText(getTranslation("sandbox.keys.empty"));
        keys.setAllRowsVisible(true);
        callIp.setId("sandbox-call-ip");
        callIp.setLabel(getTranslation("sandbox.callIp"));
        callIp.setMaxLength(45);
        callIp.setPlaceholder("198.51.100.7");
        callIp.setWidth("min(360px, 95vw)");

        add(new H2(getTranslation("nav.sandbox")), new Paragraph(getTranslation("sandbox.text")),
                new H3(getTranslation("sandbox.drift")), app, drift, callIp, keys, new H3(getTranslation("sandbox.faults")),
                new Paragraph(getTranslation("sandbox.faults.text")), faultsForm(), new H3(getTranslation(
                        "sandbox.posture")), new Paragraph(getTranslation("sandbox.posture.text")), postureToggle());
    }

    private VerticalLayout faultsForm() {
        SandboxConsole.Faults now = console.faults();
        TextField latency = new TextField(getTranslation("sandbox.latency"));
        latency.setId("sandbox-latency");
        latency.setValue(now.latency().toString());
        latency.setMaxLength(20);
        latency.setWidth("min(300px, 95vw)"); // its label is longer than a field's default width
        NumberField rate = new NumberField(getTranslation("sandbox.throttling"));
        rate.setId("sandbox-throttling");
        rate.setMin(0);
        rate.setMax(1);
        rate.setStep(0.05);
        rate.setValue(now.throttlingRate());
        TextField operation = new TextField(getTranslation("sandbox.failOperation"));
        operation.setId("sandbox-fail-operation");
        operation.setValue(now.failOperation());
        operation.setMaxLength(64);
        operation.setPlaceholder("CreateBudget");
        ComboBox<String> kind = new ComboBox<>(getTranslation("sandbox.failKind"), SandboxConsole.failKinds());
        kind.setId("sandbox-fail-kind");
        kind.setValue(now.failKind());
        Button save = new Button(getTranslation("sandbox.faults.save"), e -> {
            try {
                Duration d = Duration.parse(latency.getValue().strip());
                SandboxConsole.Faults after = console.setFaults(new SandboxConsole.Faults(d,
                        rate.getValue() == null ? 0 : rate.getValue(), operation.getValue(), kind.getValue()));
                done(getTranslation("sandbox.faults.saved", after.latency(), after.throttlingRate(),
                        after.failOperation().isEmpty() ? "—" : after.failOperation(), after.failKind()));
            } catch (DateTimeParseException ex) {
                failed(getTranslation("sandbox.latency.invalid"));
            } catch (IllegalArgumentException ex) {
                failed(ex.getMessage());
            }
        });
        save.setId("sandbox-faults-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout fields = new HorizontalLayout(latency, rate, operation, kind, save);
        fields.setAlignItems(FlexComponent.Alignment.BASELINE);
        fields.setWrap(true);
        VerticalLayout form = new VerticalLayout(fields);
        form.setPadding(false);
        return form;
    }

    /** The one line of the account posture page the simulated account shows red until it is turned on here. */
    private Checkbox postureToggle() {
        Checkbox logging = new Checkbox(getTranslation("sandbox.invocationLogging"), console.invocationLogging());
        logging.setId("sandbox-invocation-logging");
        logging.addValueChangeListener(e -> {
            if (e.isFromClient()) {
                console.setInvocationLogging(e.getValue());
                done(getTranslation(e.getValue() ? "sandbox.invocationLogging.on" : "sandbox.invocationLogging.off"));
            }
        });
        return logging;
    }

    private Button button(String id, String label, Consumer<SandboxConsole.AppTarget> action) {
        Button b = new Button(getTranslation(label), e -> {
            SandboxConsole.AppTarget target = app.getValue();
            if (target == null) {
                failed(getTranslation("sandbox.chooseApplication"));
                return;
            }
            run(() -> action.accept(target));
        });
        b.setId(id);
        return b;
    }

    /** A key's actions; only the column's buttons carry ids (the card column's would repeat them). */
    private HorizontalLayout keyActions(ServiceCredential c, boolean withIds) {
        boolean active = "Active".equals(c.status());
        Button toggle = new Button(getTranslation(active ? "sandbox.key.disable" : "sandbox.key.enable"),
                e -> run(() -> console.setKeyStatus(c.userName(), c.credentialId(), !active)));
        toggle.addThemeVariants(ButtonVariant.LUMO_SMALL);
        Button delete = new Button(getTranslation("sandbox.key.delete"),
                e -> run(() -> console.deleteKey(c.userName(), c.credentialId())));
        delete.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
        Button call = new Button(getTranslation("sandbox.key.recordCall"), e -> recordCall(c));
        call.addThemeVariants(ButtonVariant.LUMO_SMALL);
        if (withIds) {
            toggle.setId("sandbox-key-" + (active ? "disable" : "enable") + "-" + c.credentialId());
            delete.setId("sandbox-key-delete-" + c.credentialId());
            call.setId("sandbox-key-call-" + c.credentialId());
        }
        HorizontalLayout actions = new HorizontalLayout(toggle, delete, call);
        actions.setWrap(true);
        return actions;
    }

    private void recordCall(ServiceCredential key) {
        try {
            var event = console.recordCall(key.credentialId(), callIp.getValue());
            done(getTranslation("sandbox.recordCall.done", event.eventName(), key.credentialId(), event.sourceIp(),
                    event.region()));
        } catch (IllegalArgumentException e) {
            failed(getTranslation("sandbox.callIp.invalid"));
        } catch (CloudException e) {
            failed(e.getMessage());
        }
    }

    private void run(Runnable action) {
        try {
            action.run();
        } catch (CloudException e) {
            failed(e.getMessage());
        }
        refreshKeys();
    }

    private void refreshKeys() {
        SandboxConsole.AppTarget target = app.getValue();
        keys.setItems(target == null ? java.util.List.of() : console.keys(target.iamUser()));
    }

    private static void done(String text) {
        Notification.show(text, 4000, Notification.Position.BOTTOM_START)
                .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
    }

    private static void failed(String text) {
        Notification.show(text, 6000, Notification.Position.BOTTOM_START)
                .addThemeVariants(NotificationVariant.LUMO_ERROR);
    }
}
