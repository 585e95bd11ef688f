package com.bedrockportal.application.ui;

import java.util.List;
import java.util.Optional;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationOwners;
import com.bedrockportal.application.ApplicationPageSection;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.application.Decommissions;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.UserDirectory;
import com.bedrockportal.key.KeyInventory;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.ui.Card;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.shared.HasValidationProperties;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.PermitAll;

import org.springframework.security.access.AccessDeniedException;

/**
 * One application: its owner and purpose, its names in AWS, the access approved last, and its keys. Anyone who may
 * not see it gets the same page as for an application that does not exist.
 */
@Route(value = "applications/:id", layout = MainLayout.class)
@PageTitle("Application · Bedrock Access Portal")
@PermitAll
public class ApplicationView extends VerticalLayout implements BeforeEnterObserver {

    private final transient ApplicationService applications;
    private final transient BusinessUnitService units;
    private final transient KeyInventory keys;
    private final transient CurrentUser currentUser;
    private final transient ApplicationOwners owners;
    private final transient UserDirectory directory;
    private final transient Decommissions decommissions;
    private final transient List<ApplicationPageSection> sections;
    private long applicationId = -1;

    public ApplicationView(ApplicationService applications, BusinessUnitService units, KeyInventory keys,
            ApplicationOwners owners, UserDirectory directory, CurrentUser currentUser, Decommissions decommissions,
            List<ApplicationPageSection> sections) {
        this.sections = sections.stream().sorted(java.util.Comparator.comparingInt(ApplicationPageSection::order))
                .toList();
        this.decommissions = decommissions;
        this.currentUser = currentUser;
        this.applications = applications;
        this.units = units;
        this.keys = keys;
        this.owners = owners;
        this.directory = directory;
        addClassName("portal-page");
        setId("application");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        applicationId = event.getRouteParameters().getLong("id").orElse(-1L);
        render();
    }

    private void render() {
        removeAll();
        Optional<Application> found = applications.find(applicationId);
        if (found.isEmpty()) {
            add(new H2(getTranslation("app.notFound")));
            return;
        }
        Application app = found.get();
        String unit = units.find(app.businessUnitId()).map(BusinessUnit::displayName).orElse("");
        add(new H2(app.displayName()), ApplicationsView.status(app.status()));
        if (app.status() == Application.Status.ACTIVE && currentUser.get().filter(me -> me.has(PortalRole.REQUESTER)
                && units.find(app.businessUnitId()).map(u -> u.members().contains(me.username())).orElse(false))
                .isPresent()) {
            Anchor change = new Anchor("requests/new?change=" + app.id(), getTranslation("app.requestChange"));
            change.setId("application-request-change");
            add(change);
        }

        Card about = new Card("app.about", "application-about");
        about.row("app.unit", unit);
        about.row("app.slug", app.slug());
        about.row("app.owner", app.owner() + " · " + app.ownerEmail()).setId("application-owner");
        about.row("app.purpose", app.purpose()).setId("application-purpose");
        about.row("app.classification", getTranslation("classification." + app.dataClassification()));
        if (app.createdByRequest() != null) {
            Paragraph created = about.row("app.createdBy", "");
            created.add(new Anchor("requests/" + app.createdByRequest(), "#" + app.createdByRequest()));
        }

        Card aws = new Card("app.aws", "application-aws");
        aws.row("app.iamUser", app.names().iamUser()).setId("application-iam-user");
        aws.row("app.budgetName", orNone(app.names().budgetName()));
        aws.row("app.secretName", orNone(app.names().secretName()));

        Application.Access a = app.access();
        Card access = new Card("app.access", "application-access");
        access.row("app.models", String.join(", ", a.models())).setId("application-models");
        access.row("app.regions", String.join(", ", a.regions()));
        access.row("app.cidrs", a.sourceCidrs().isEmpty() ? getTranslation("detail.cidrs.none")
                : String.join(", ", a.sourceCidrs()));
        access.row("app.lifetime", getTranslation("detail.days", a.lifetimeDays()));
        access.row("app.budget", "$" + a.monthlyBudget().toPlainString() + " · "
                + getTranslation("app.alertAt", a.alertThreshold()));

        Grid<KeyInventory.Row> grid = new Grid<>();
        grid.setId("application-keys");
        grid.addColumn(r -> r.prefix() + "…").setHeader(getTranslation("keys.key")).setAutoWidth(true);
        grid.addColumn(r -> UserTime.format(r.createdAt())).setHeader(getTranslation("keys.created"))
                .setAutoWidth(true);
        grid.addColumn(r -> UserTime.format(r.expiresAt())).setHeader(getTranslation("keys.expires"))
                .setAutoWidth(true);
        grid.addColumn(KeyInventory.Row::status).setHeader(getTranslation("keys.status")).setAutoWidth(true);
        // A rotation's key has no request: it links to its key page.
        grid.addComponentColumn(r -> r.requestId() > 0 ? new Anchor("requests/" + r.requestId(), "#" + r.requestId())
                : new Anchor("keys/" + r.keyId(), getTranslation("app.keyByRotation")))
                .setHeader(getTranslation("keys.request")).setAutoWidth(true);
        List<KeyInventory.Row> rows = keys.list(KeyInventory.Filter.ofApplication(app.id()),
                KeyInventory.Sort.CREATED_DESC, 0, 50);
        grid.setItems(rows);
        grid.setAllRowsVisible(true);
        grid.setEmptyStateText(getTranslation("keys.empty"));
        Card keyCard = new Card("app.keys", "application-key-card");
        keyCard.add(grid);

        ApplicationOwners.Stewardship stewardship = owners.stewardship(app);
        stewardship.orphan().ifPresent(o -> add(orphanBanner(o, stewardship)));
        add(about);
        if (stewardship.mayChange()) {
            add(ownershipButtons(app, unit, stewardship));
        }
        add(aws, access, keyCard);
        for (ApplicationPageSection section : sections) {
            com.vaadin.flow.component.Component c = section.section(app, this::render);
            if (c != null) {
                add(c);
            }
        }
        // The whole page follows a decommission's progress: its keys turn revoked, its status decommissioned.
        add(new DecommissionPanel(decommissions, app.id(), this::render));
    }

    private String orNone(String value) {
        return value == null ? getTranslation("app.none") : value;
    }

    // --- ownership handover, purpose, owner leaves (issue 10, owners)

    private Paragraph orphanBanner(ApplicationOwners.Orphan orphan, ApplicationOwners.Stewardship stewardship) {
        Paragraph banner = new Paragraph(getTranslation(orphan.keysDisabledAt() == null ? "owners.orphan.banner"
                : "owners.orphan.bannerDone", orphan.formerOwner(), UserTime.format(orphan.flaggedAt()),
                UserTime.format(stewardship.keysDisabledFrom())));
        banner.setId("application-orphan");
        banner.addClassName("portal-card");
        banner.getStyle().set("border-left", "4px solid var(--lumo-error-color)");
        return banner;
    }

    private HorizontalLayout ownershipButtons(Application app, String unit, ApplicationOwners.Stewardship st) {
        Button handOver = new Button(getTranslation("owners.handover"), e -> openHandover(app, unit, st));
        handOver.setId("application-handover");
        handOver.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        handOver.setEnabled(!st.candidates().isEmpty());
        Button purpose = new Button(getTranslation("owners.purpose.edit"), e -> openPurpose(app));
        purpose.setId("application-edit-purpose");
        HorizontalLayout buttons = new HorizontalLayout(handOver, purpose);
        buttons.setId("application-ownership-actions");
        return buttons;
    }

    private void openHandover(Application app, String unit, ApplicationOwners.Stewardship st) {
        Dialog dialog = new Dialog();
        dialog.setId("handover-dialog");
        dialog.setHeaderTitle(getTranslation("owners.handover.title"));
        ComboBox<String> owner = new ComboBox<>(getTranslation("owners.newOwner"));
        owner.setId("handover-owner");
        owner.setItems(st.candidates());
        owner.setItemLabelGenerator(u -> directory.find(u).map(UserDirectory.KnownUser::label).orElse(u));
        owner.setHelperText(getTranslation("owners.newOwner.helper"));
        owner.setWidthFull();
        EmailField email = new EmailField(getTranslation("owners.ownerEmail"));
        email.setId("handover-email");
        email.setMaxLength(ApplicationOwners.MAX_OWNER_EMAIL);
        email.setHelperText(getTranslation("owners.ownerEmail.helper"));
        email.setWidthFull();
        owner.addValueChangeListener(e -> email.setValue(e.getValue() == null ? ""
                : directory.find(e.getValue()).map(UserDirectory.KnownUser::email).orElse("")));
        TextArea reason = new TextArea(getTranslation("keyaction.reason"));
        reason.setId("handover-reason");
        reason.setHelperText(getTranslation("owners.reason.help"));
        reason.setMaxLength(ApplicationOwners.MAX_REASON);
        reason.setRequired(true);
        reason.setWidthFull();
        Span error = new Span();
        error.setId("handover-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");
        dialog.add(new Paragraph(getTranslation("owners.handover.text", unit)), owner, email, reason, error);
        dialog.setWidth("min(560px, 95vw)");
        Button confirm = new Button(getTranslation("owners.confirm"), e -> {
            owner.setInvalid(false);
            email.setInvalid(false);
            reason.setInvalid(false);
            error.setText("");
            try {
                Application after = owners.handOver(app.id(), owner.getValue(), email.getValue(), reason.getValue());
                dialog.close();
                Notification.show(getTranslation("owners.handover.done", after.owner()), 4000,
                        Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                render();
            } catch (FieldErrors errors) {
                showError(owner, errors.errors().get("newOwner"));
                showError(email, errors.errors().get("ownerEmail"));
                showError(reason, errors.errors().get("reason"));
            } catch (ApplicationOwners.Refused | ApplicationOwners.CloudFailed refused) {
                error.setText(refused.getMessage());
            } catch (AccessDeniedException denied) {
                error.setText(getTranslation("owners.refused.notAllowed"));
            }
        });
        confirm.setId("handover-confirm");
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button cancel = new Button(getTranslation("owners.cancel"), e -> dialog.close());
        dialog.getFooter().add(cancel, confirm);
        dialog.open();
        owner.focus();
    }

    private void openPurpose(Application app) {
        Dialog dialog = new Dialog();
        dialog.setId("purpose-dialog");
        dialog.setHeaderTitle(getTranslation("owners.purpose.title"));
        TextArea purpose = new TextArea(getTranslation("owners.purpose.label"));
        purpose.setId("purpose-text");
        purpose.setMaxLength(ApplicationOwners.MAX_PURPOSE);
        purpose.setValue(app.purpose());
        purpose.setWidthFull();
        Span error = new Span();
        error.setId("purpose-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");
        dialog.add(purpose, error);
        dialog.setWidth("min(560px, 95vw)");
        Button confirm = new Button(getTranslation("owners.confirm"), e -> {
            purpose.setInvalid(false);
            error.setText("");
            try {
                owners.changePurpose(app.id(), purpose.getValue());
                dialog.close();
                Notification.show(getTranslation("owners.purpose.done"), 4000, Notification.Position.BOTTOM_START)
                        .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                render();
            } catch (FieldErrors errors) {
                showError(purpose, errors.errors().get("purpose"));
            } catch (ApplicationOwners.Refused refused) {
                error.setText(refused.getMessage());
            } catch (AccessDeniedException denied) {
                error.setText(getTranslation("owners.refused.notAllowed"));
            }
        });
        confirm.setId("purpose-confirm");
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button(getTranslation("owners.cancel"), e -> dialog.close()), confirm);
        dialog.open();
        purpose.focus();
    }

    private static void showError(HasValidationProperties field, String message) {
        if (message != null) {
            field.setErrorMessage(message);
            field.setInvalid(true);
        }
    }
}
