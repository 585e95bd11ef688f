package com.bedrockportal.application.ui;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationOwners;
import com.bedrockportal.application.ApplicationPageSection;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.application.Decommissions;
import com.bedrockportal.application.KeyRenewal;
import com.bedrockportal.application.RotationSchedules;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.UserDirectory;
import com.bedrockportal.key.KeyInventory;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.ui.Card;
import com.bedrockportal.shared.ui.FormErrors;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.shared.HasValidationProperties;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.PermitAll;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.access.AccessDeniedException;

/**
 * One application: its owner and purpose, its names in AWS, the access approved last, and its keys. Anyone who may
 * not see it gets the same page as for an application that does not exist.
 */
@Route(value = "applications/:id([0-9]{1,18})", layout = MainLayout.class)
@PageTitle("Application · Bedrock Access Portal")
@PermitAll
public class ApplicationView extends VerticalLayout implements BeforeEnterObserver {

    private final transient ModelCatalog catalog;
    private final transient ApplicationService applications;
    private final transient BusinessUnitService units;
    private final transient KeyInventory keys;
    private final transient CurrentUser currentUser;
    private final transient ApplicationOwners owners;
    private final transient UserDirectory directory;
    private final transient Decommissions decommissions;
    private final transient List<ApplicationPageSection> sections;
    private final transient RotationSchedules rotationSchedules;
    private final transient ObjectProvider<KeyRenewal> renewals;
    private long applicationId = -1;
    /** Fixed while the page shows one Renew button: pressing it twice asks once. */
    private String renewalKey = UUID.randomUUID().toString();

    public ApplicationView(ApplicationService applications, BusinessUnitService units, KeyInventory keys,
            ApplicationOwners owners, UserDirectory directory, CurrentUser currentUser, Decommissions decommissions,
            List<ApplicationPageSection> sections, RotationSchedules rotationSchedules,
            ObjectProvider<KeyRenewal> renewals, ModelCatalog catalog) {
        this.catalog = catalog;
        this.sections = sections.stream().sorted(java.util.Comparator.comparingInt(ApplicationPageSection::order))
                .toList();
        this.rotationSchedules = rotationSchedules;
        this.renewals = renewals;
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
        // The decommission's state is read before the application and its keys (as the other process sections' are
        // before the keys, below): a step that commits in between is then a change its poll sees.
        DecommissionPanel decommission = new DecommissionPanel(decommissions, applicationId, this::render);
        Optional<Application> found = applications.find(applicationId);
        if (found.isEmpty()) {
            add(new H2(getTranslation("app.notFound")));
            return;
        }
        Application app = found.get();
        String unit = units.find(app.businessUnitId()).map(BusinessUnit::displayName).orElse("");
        add(new H2(app.displayName()), status(app.status()));
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
        access.row("app.models", catalog.names(a.models())).setId("application-models");
        access.row("app.regions", String.join(", ", a.regions()));
        access.row("app.cidrs", a.sourceCidrs().isEmpty() ? getTranslation("detail.cidrs.none")
                : String.join(", ", a.sourceCidrs()));
        access.row("app.lifetime", getTranslation("detail.days", a.lifetimeDays()));
        access.row("app.budget", "$" + a.monthlyBudget().toPlainString() + " · "
                + getTranslation("app.alertAt", a.alertThreshold()));

        rotationRow(access, app);

        // The sections that follow a process (a rotation, a decommission) read its state before the keys are read.
        // A step that commits in between is then a change their next poll sees, and the whole page is rendered
        // again; read the other way round, the page could show the process's new state beside the keys as they were
        // before it, and never refresh them (RotationE2E missed a rotation's new key so, once, on a busy machine).
        List<com.vaadin.flow.component.Component> following = new java.util.ArrayList<>();
        for (ApplicationPageSection section : sections) {
            com.vaadin.flow.component.Component c = section.section(app, this::render);
            if (c != null) {
                following.add(c);
            }
        }
        // The whole page follows a decommission's progress: its keys turn revoked, its status decommissioned.
        following.add(decommission);

        Grid<KeyInventory.Row> grid = new Grid<>();
        grid.setId("application-keys");
        // The key page (its actions and expiry timeline) belongs to the lifecycle module; linked by its path only.
        grid.addComponentColumn(r -> new Anchor("keys/" + r.keyId(), r.prefix() + "…"))
                .setHeader(getTranslation("keys.key")).setAutoWidth(true);
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
        grid.setEmptyStateText(getTranslation(app.shortTermOnly() ? "app.keys.shortTermOnly" : "keys.empty"));
        Card keyCard = new Card("app.keys", "application-key-card");
        keyCard.add(grid);

        ApplicationOwners.Stewardship stewardship = owners.stewardship(app);
        stewardship.orphan().ifPresent(o -> add(orphanBanner(o, stewardship)));
        renewals.ifAvailable(r -> r.offer(app.id()).ifPresent(offer -> add(renewalBanner(app, offer, r))));
        add(about);
        if (stewardship.mayChange()) {
            add(ownershipButtons(app, unit, stewardship));
        }
        add(aws, access, keyCard);
        following.forEach(this::add);
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
        Span error = FormErrors.line("handover-error");
        dialog.add(new Paragraph(getTranslation("owners.handover.text", unit)), owner, email, reason, error);
        dialog.setWidth("min(560px, 95vw)");
        Button confirm = new Button(getTranslation("owners.confirm"), e -> {
            FormErrors.mark(owner, null);
            FormErrors.mark(email, null);
            FormErrors.mark(reason, null);
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
        Span error = FormErrors.line("purpose-error");
        dialog.add(purpose, error);
        dialog.setWidth("min(560px, 95vw)");
        Button confirm = new Button(getTranslation("owners.confirm"), e -> {
            FormErrors.mark(purpose, null);
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
            FormErrors.mark(field, message);
        }
    }

    // --- scheduled rotation and renewal (issue 11, expiry watch)

    /** "Rotates every 30 days (unit default)", and for those who may, the dialog that changes it. */
    private void rotationRow(Card card, Application app) {
        RotationSchedules.Schedule schedule = rotationSchedules.of(app);
        Paragraph row = card.row("rotation.label", describe(schedule));
        row.setId("application-rotation");
        if (rotationSchedules.mayChange(app)) {
            Button change = new Button(getTranslation("rotation.change"), e -> openRotation(app, schedule));
            change.setId("application-rotation-change");
            change.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
            row.add(change);
        }
    }

    private String describe(RotationSchedules.Schedule s) {
        String unitDefault = getTranslation("rotation.every." + s.unitDefault().name());
        String every = s.followsUnit()
                ? getTranslation(s.effective().on() ? "rotation.summary.unit" : "rotation.summary.unitOff",
                        s.effective().days())
                : getTranslation(s.effective().on() ? "rotation.summary.own" : "rotation.summary.ownOff",
                        s.effective().days(), unitDefault);
        return s.effectiveDelivery() == RotationSchedules.Delivery.SECRETS_MANAGER
                ? getTranslation("rotation.delivery.summary.SECRETS_MANAGER", every) : every;
    }

    private void openRotation(Application app, RotationSchedules.Schedule schedule) {
        Dialog dialog = new Dialog();
        dialog.setId("rotation-dialog");
        dialog.setHeaderTitle(getTranslation("schedule.title"));
        Select<String> choice = new Select<>();
        choice.setId("rotation-choice");
        choice.setLabel(getTranslation("rotation.label"));
        choice.setItems(RotationSchedules.CHOICES);
        choice.setItemLabelGenerator(c -> RotationSchedules.FOLLOW_UNIT.equals(c)
                ? getTranslation("rotation.choice.unit", getTranslation("rotation.every."
                        + schedule.unitDefault().name()))
                : getTranslation("rotation.every." + c));
        choice.setValue(schedule.choice());
        choice.setHelperText(getTranslation("rotation.helper"));
        choice.setWidthFull();
        // How new keys are handed over: offered where the application keeps a Secrets Manager copy (where a change
        // dropped the copy, the setting is kept for when it keeps one again, and its rotations reveal meanwhile).
        Select<RotationSchedules.Delivery> delivery = new Select<>();
        delivery.setId("rotation-delivery");
        delivery.setLabel(getTranslation("rotation.delivery.label"));
        delivery.setItems(RotationSchedules.Delivery.values());
        delivery.setItemLabelGenerator(d -> getTranslation("rotation.delivery." + d.name()));
        delivery.setValue(schedule.delivery());
        delivery.setHelperText(getTranslation("rotation.delivery.helper"));
        delivery.setWidthFull();
        delivery.setVisible(schedule.keepsCopy());
        Span error = FormErrors.line("rotation-error");
        dialog.add(choice, delivery, error);
        dialog.setWidth("min(560px, 95vw)");
        Button confirm = new Button(getTranslation("owners.confirm"), e -> {
            FormErrors.mark(choice, null);
            FormErrors.mark(delivery, null);
            error.setText("");
            try {
                RotationSchedules.Schedule after = rotationSchedules.change(app.id(), choice.getValue(),
                        delivery.isVisible() && delivery.getValue() != null ? delivery.getValue().name() : null);
                dialog.close();
                Notification.show(getTranslation("rotation.done", describe(after)), 4000,
                        Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                render();
            } catch (FieldErrors errors) {
                showError(choice, errors.errors().get("rotateEvery"));
                showError(delivery, errors.errors().get("rotationDelivery"));
            } catch (ApplicationOwners.Refused refused) {
                error.setText(refused.getMessage());
            } catch (AccessDeniedException denied) {
                error.setText(getTranslation("owners.refused.notAllowed"));
            }
        });
        confirm.setId("rotation-confirm");
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button(getTranslation("owners.cancel"), e -> dialog.close()), confirm);
        dialog.open();
    }

    /** A key runs out: when, and Renew for its owner (or the renewal already waiting). */
    private Div renewalBanner(Application app, KeyRenewal.Offer offer,
            KeyRenewal renewal) {
        Div banner = new Div();
        banner.setId("application-renewal");
        banner.addClassName("portal-card");
        banner.getStyle().set("border-left", "4px solid var(--lumo-warning-color, #e0a000)");
        banner.add(new Paragraph(getTranslation(offer.expired() ? "renewal.banner.expired"
                : "renewal.banner.expires", offer.keyPrefix(), UserTime.format(offer.expiresAt()))));
        if (offer.openRequestId() != null) {
            Paragraph open = new Paragraph(getTranslation("renewal.banner.open") + " ");
            open.add(new Anchor("requests/" + offer.openRequestId(), "#" + offer.openRequestId()));
            open.setId("application-renewal-open");
            banner.add(open);
        } else if (offer.mayRenew()) {
            Span error = FormErrors.line("application-renewal-error");
            Button renew = new Button(getTranslation("renewal.renew"), e -> {
                try {
                    long request = renewal.renew(app.id(), renewalKey);
                    renewalKey = UUID.randomUUID().toString();
                    Notification.show(getTranslation("renewal.done", request), 5000,
                            Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
                    getUI().ifPresent(ui -> ui.navigate("requests/" + request));
                } catch (KeyRenewal.Refused refused) {
                    error.setText(refused.getMessage());
                    e.getSource().setEnabled(true);
                } catch (AccessDeniedException denied) {
                    error.setText(getTranslation("owners.refused.notAllowed"));
                    e.getSource().setEnabled(true);
                }
            });
            renew.setId("application-renew");
            renew.setDisableOnClick(true);
            renew.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            banner.add(new Paragraph(getTranslation("renewal.banner.what")), renew, error);
        } else {
            banner.add(new Paragraph(getTranslation("renewal.banner.owner", app.owner())));
        }
        return banner;
    }

    static Span status(Application.Status status) {
        Span s = new Span(status.name().toLowerCase(java.util.Locale.ROOT));
        s.getElement().getThemeList().add(status == Application.Status.ACTIVE ? "badge success" : "badge contrast");
        return s;
    }
}
