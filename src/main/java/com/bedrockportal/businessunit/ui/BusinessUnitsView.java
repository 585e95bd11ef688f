package com.bedrockportal.businessunit.ui;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitDraft;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.businessunit.RotateEvery;
import com.bedrockportal.businessunit.UnitApplications;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.UserDirectory;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;
import com.bedrockportal.shared.ui.DraftBinder;
import com.bedrockportal.shared.ui.FormErrors;
import com.bedrockportal.shared.ui.ResponsiveGrid;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/**
 * Admins create, edit, archive and delete business units. The editor's fields are bound to a
 * {@link BusinessUnitDraft}; its field rules show as the admin types, the service checks every rule again on save
 * and its messages appear next to the fields.
 */
@Route(value = "admin/business-units", layout = MainLayout.class)
@PageTitle("Business units · Bedrock Access Portal")
@Menu(title = "nav.businessUnits", order = 80, icon = "vaadin:building")
@RolesAllowed(PortalRole.ADMIN_ROLE)
public class BusinessUnitsView extends VerticalLayout {

    private final transient BusinessUnitService service;
    private final transient UserDirectory directory;

    private final Grid<BusinessUnit> grid = new Grid<>(BusinessUnit.class, false);
    private final TextField search = new TextField();
    private final Checkbox showArchived = new Checkbox();

    private final Div editor = new Div();
    private final H3 editorTitle = new H3();
    private final TextField displayName = new TextField();
    private final TextField slug = new TextField();
    private final TextField costCenter = new TextField();
    private final EmailField ownerEmail = new EmailField();
    private final BigDecimalField budget = new BigDecimalField();
    private final Select<RotateEvery> rotateEvery = new Select<>();
    private final MultiSelectComboBox<String> managers = new MultiSelectComboBox<>();
    private final MultiSelectComboBox<String> members = new MultiSelectComboBox<>();
    private final FormErrors errors = new FormErrors();
    private final DraftBinder<BusinessUnitDraft> binder;
    private final Button save = new Button();
    private final Button archive = new Button();
    private final Button delete = new Button();

    private BusinessUnitDraft current;

    public BusinessUnitsView(BusinessUnitService service, UserDirectory directory, FormValidation rules) {
        this.service = service;
        this.directory = directory;
        this.binder = new DraftBinder<>(BusinessUnitDraft.class, rules);
        addClassName("portal-page");
        setId("business-units");
        setSizeFull();

        configureGrid();
        configureEditor();
        FlexLayout content = new FlexLayout(grid, editor);
        content.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        content.setWidthFull();
        content.getStyle().set("gap", "var(--lumo-space-m)");
        content.setFlexGrow(2, grid);
        content.setFlexGrow(1, editor);
        content.setFlexBasis("min(420px, 100%)", grid);
        content.setFlexBasis("min(320px, 100%)", editor);
        add(new H2(getTranslation("bu.title")), createToolbar(), content);
        refresh();
        closeEditor();
    }

    private Component createToolbar() {
        search.setPlaceholder(getTranslation("bu.search"));
        search.setClearButtonVisible(true);
        search.setMaxLength(120);
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.addValueChangeListener(e -> refresh());
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        showArchived.setLabel(getTranslation("bu.showArchived"));
        showArchived.addValueChangeListener(e -> refresh());
        Button add = new Button(getTranslation("bu.new"), VaadinIcon.PLUS.create(), e -> edit(new BusinessUnitDraft()));
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add.setId("bu-new");
        HorizontalLayout toolbar = new HorizontalLayout(search, showArchived, add);
        toolbar.setAlignItems(Alignment.BASELINE);
        toolbar.setWidthFull();
        toolbar.setFlexGrow(1, search);
        toolbar.getStyle().set("flex-wrap", "wrap");
        return toolbar;
    }

    private void configureGrid() {
        grid.setId("bu-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(BusinessUnit::displayName).setHeader(getTranslation("bu.displayName")).setSortable(true)
                .setAutoWidth(true);
        grid.addColumn(BusinessUnit::slug).setHeader(getTranslation("bu.slug")).setSortable(true).setAutoWidth(true);
        grid.addColumn(BusinessUnit::costCenter).setHeader(getTranslation("bu.costCenter")).setAutoWidth(true);
        grid.addColumn(u -> String.join(", ", u.managers())).setHeader(getTranslation("bu.managers"));
        grid.addColumn(u -> u.members().size()).setHeader(getTranslation("bu.memberCount")).setAutoWidth(true);
        grid.addColumn(u -> "$" + u.defaultMonthlyBudget().toPlainString()).setHeader(getTranslation("bu.budget"))
                .setAutoWidth(true);
        grid.addColumn(u -> getTranslation("rotation.every." + u.rotateEvery().name()))
                .setHeader(getTranslation("bu.rotateEvery")).setAutoWidth(true);
        grid.addComponentColumn(this::statusBadge).setHeader(getTranslation("bu.status")).setAutoWidth(true);
        ResponsiveGrid.cards(grid, getTranslation("bu.title"), u -> ResponsiveGrid.card(
                new Span(new Span(u.displayName()), statusBadge(u)),
                ResponsiveGrid.line(u.slug(), u.costCenter(), "$" + u.defaultMonthlyBudget().toPlainString()),
                ResponsiveGrid.line(String.join(", ", u.managers()),
                        getTranslation("bu.memberCount") + ": " + u.members().size(),
                        getTranslation("rotation.every." + u.rotateEvery().name()))));
        grid.asSingleSelect().addValueChangeListener(e -> {
            if (e.getValue() != null) {
                edit(BusinessUnitDraft.of(e.getValue()));
            }
        });
        grid.setEmptyStateText(getTranslation("bu.empty"));
        grid.setMinHeight("300px");
    }

    private Span statusBadge(BusinessUnit u) {
        Span status = new Span(getTranslation(u.archived() ? "bu.status.archived" : "bu.status.active"));
        status.getElement().getThemeList().add(u.archived() ? "badge contrast" : "badge success");
        return status;
    }

    private void configureEditor() {
        editor.setId("bu-editor");
        editor.addClassName("portal-card");
        displayName.setLabel(getTranslation("bu.displayName"));
        displayName.setId("bu-displayName");
        displayName.setMaxLength(BusinessUnitDraft.DISPLAY_NAME_MAX);
        costCenter.setMaxLength(BusinessUnitDraft.COST_CENTER_MAX);
        ownerEmail.setMaxLength(BusinessUnitDraft.EMAIL_MAX);
        displayName.setRequiredIndicatorVisible(true);
        slug.setLabel(getTranslation("bu.slug"));
        slug.setId("bu-slug");
        slug.setMaxLength(BusinessUnitDraft.SLUG_MAX);
        slug.setRequiredIndicatorVisible(true);
        slug.setValueChangeMode(ValueChangeMode.EAGER);
        slug.addValueChangeListener(e -> showIamUser(e.getValue()));
        costCenter.setLabel(getTranslation("bu.costCenter"));
        costCenter.setId("bu-costCenter");
        costCenter.setRequiredIndicatorVisible(true);
        ownerEmail.setLabel(getTranslation("bu.ownerEmail"));
        ownerEmail.setId("bu-ownerEmail");
        ownerEmail.setRequiredIndicatorVisible(true);
        budget.setLabel(getTranslation("bu.budget"));
        budget.setId("bu-budget");
        budget.setPrefixComponent(new Span("$"));
        budget.setRequiredIndicatorVisible(true);
        rotateEvery.setLabel(getTranslation("bu.rotateEvery"));
        rotateEvery.setId("bu-rotate-every");
        rotateEvery.setItems(RotateEvery.values());
        rotateEvery.setItemLabelGenerator(r -> getTranslation("rotation.every." + r.name()));
        rotateEvery.setHelperText(getTranslation("bu.rotateEvery.helper"));
        configurePeople(managers, "bu.managers", "bu-managers");
        managers.setRequiredIndicatorVisible(true);
        configurePeople(members, "bu.members", "bu-members");
        bind();

        errors.formLine().setId("bu-form-error");
        errors.field("displayName", displayName).field("slug", slug).field("costCenter", costCenter)
                .field("ownerEmail", ownerEmail).field("defaultMonthlyBudget", budget)
                .field("rotateEvery", rotateEvery).field("managers", managers)
                .field("members", members);

        save.setText(getTranslation("bu.save"));
        save.setId("bu-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickShortcut(Key.ENTER);
        save.addClickListener(e -> save());
        Button cancel = new Button(getTranslation("bu.cancel"), e -> closeEditor());
        archive.setId("bu-archive");
        archive.addClickListener(e -> toggleArchived());
        delete.setText(getTranslation("bu.delete"));
        delete.setId("bu-delete");
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        delete.addClickListener(e -> confirmDelete());

        FormLayout form = new FormLayout(displayName, slug, costCenter, ownerEmail, budget, rotateEvery, managers,
                members);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
        HorizontalLayout buttons = new HorizontalLayout(save, cancel, archive, delete);
        buttons.getStyle().set("flex-wrap", "wrap");
        editor.add(editorTitle, form, errors.formLine(), buttons);
    }

    private void bind() {
        binder.forField(displayName).withValidator(binder.rule("displayName"))
                .bind(BusinessUnitDraft::getDisplayName, BusinessUnitDraft::setDisplayName);
        binder.forField(slug).withValidator(binder.rule("slug")).bind(BusinessUnitDraft::getSlug,
                BusinessUnitDraft::setSlug);
        binder.forField(costCenter).withValidator(binder.rule("costCenter"))
                .bind(BusinessUnitDraft::getCostCenter, BusinessUnitDraft::setCostCenter);
        binder.forField(ownerEmail).withValidator(binder.rule("ownerEmail"))
                .bind(BusinessUnitDraft::getOwnerEmail, BusinessUnitDraft::setOwnerEmail);
        binder.forField(budget).withValidator(binder.rule("defaultMonthlyBudget"))
                .bind(BusinessUnitDraft::getDefaultMonthlyBudget, BusinessUnitDraft::setDefaultMonthlyBudget);
        binder.forField(rotateEvery).withValidator(binder.rule("rotateEvery"))
                .bind(BusinessUnitDraft::getRotateEvery, BusinessUnitDraft::setRotateEvery);
        binder.forField(managers).withValidator(binder.rule("managers"))
                .bind(BusinessUnitDraft::getManagers, BusinessUnitDraft::setManagers);
        binder.forField(members).withValidator(binder.rule("members"))
                .bind(BusinessUnitDraft::getMembers, BusinessUnitDraft::setMembers);
    }

    private void showIamUser(String slugValue) {
        String value = slugValue == null ? "" : slugValue.strip();
        slug.setHelperText(getTranslation("bu.slug.helper", BusinessUnit.iamUserPattern(value.isEmpty() ? "{slug}" : value)));
    }

    private void configurePeople(MultiSelectComboBox<String> box, String labelKey, String id) {
        box.setLabel(getTranslation(labelKey));
        box.setId(id);
        box.setHelperText(getTranslation(labelKey + ".helper"));
        // The directory a page at a time, filtered in SQL as the admin types: never the whole directory at once.
        box.setItems(query -> directory.usernames(query.getFilter().orElse(""), query.getOffset(), query.getLimit())
                .stream());
        // Someone who has not logged in yet is typed in full; the selection holds the name, the list need not.
        box.setAllowCustomValue(true);
        box.addCustomValueSetListener(e -> {
            String value = e.getDetail().strip();
            if (!value.isEmpty()) {
                Set<String> selected = new LinkedHashSet<>(box.getValue());
                selected.add(value);
                box.setValue(selected);
            }
        });
    }

    private void edit(BusinessUnitDraft draft) {
        current = draft;
        boolean creating = draft.getId() == null;
        editorTitle.setText(getTranslation(creating ? "bu.editor.new" : "bu.editor.edit"));
        errors.clear();
        if (draft.getDefaultMonthlyBudget() == null) {
            draft.setDefaultMonthlyBudget(new BigDecimal("500"));
        }
        binder.readBean(draft);
        slug.setReadOnly(!creating);
        showIamUser(draft.getSlug());
        BusinessUnit existing = creating ? null : service.find(draft.getId()).orElse(null);
        archive.setVisible(existing != null);
        delete.setVisible(existing != null);
        if (existing != null) {
            archive.setText(getTranslation(existing.archived() ? "bu.restore" : "bu.archive"));
        }
        editor.setVisible(true);
        displayName.focus();
    }

    private void save() {
        errors.clear();
        binder.writeBeanAsDraft(current, true); // the service checks every rule and reports all problems at once
        try {
            BusinessUnit saved = current.getId() == null ? service.create(current) : service.update(current);
            notify(getTranslation("bu.saved", saved.displayName()), NotificationVariant.LUMO_SUCCESS);
            refresh();
            closeEditor();
        } catch (FieldErrors refused) {
            errors.show(refused, null);
        }
    }

    /**
     * Archiving a unit that still has live applications first lists them: on confirmation the unit is archived and
     * every one of them decommissioned (the admin acts for the portal; no manager approval).
     */
    private void toggleArchived() {
        BusinessUnit unit = service.find(current.getId()).orElseThrow();
        List<UnitApplications.LiveApplication> live = unit.archived() ? List.of()
                : service.liveApplications(unit.id());
        if (live.isEmpty()) {
            setArchived(unit);
            return;
        }
        Div list = new Div();
        list.setId("bu-archive-applications");
        live.forEach(a -> list.add(new Div(new Span(a.displayName() + " (" + a.slug() + ", " + a.status()
                .toLowerCase(java.util.Locale.ROOT) + ")"))));
        Div text = new Div(new Span(getTranslation("bu.archive.text")), new Div(new Span(getTranslation(
                "bu.archive.live"))), list);
        ConfirmDialog dialog = new ConfirmDialog();
        dialog.setId("bu-archive-dialog");
        dialog.setHeader(getTranslation("bu.archive.title", unit.displayName()));
        dialog.setText(text);
        dialog.setConfirmText(getTranslation("bu.archive.confirm"));
        dialog.setConfirmButtonTheme("error primary");
        dialog.setCancelable(true);
        dialog.addConfirmListener(e -> {
            if (setArchived(unit)) {
                notify(getTranslation("bu.archive.decommissioning", unit.displayName(), live.size()),
                        NotificationVariant.LUMO_SUCCESS);
            }
        });
        dialog.open();
    }

    private boolean setArchived(BusinessUnit unit) {
        try {
            BusinessUnit after = service.setArchived(unit.id(), !unit.archived());
            notify(getTranslation(after.archived() ? "bu.archived" : "bu.restored", after.displayName()),
                    NotificationVariant.LUMO_SUCCESS);
            refresh();
            closeEditor();
            return true;
        } catch (FieldErrors refused) {
            errors.show(refused, null);
            return false;
        }
    }

    private void confirmDelete() {
        BusinessUnit unit = service.find(current.getId()).orElseThrow();
        ConfirmDialog dialog = new ConfirmDialog(getTranslation("bu.delete.title", unit.displayName()),
                getTranslation("bu.delete.text"), getTranslation("bu.delete"), e -> {
                    try {
                        service.delete(unit.id());
                        notify(getTranslation("bu.deleted", unit.displayName()), NotificationVariant.LUMO_SUCCESS);
                        refresh();
                        closeEditor();
                    } catch (FieldErrors refused) {
                        errors.show(refused, null);
                    }
                });
        dialog.setCancelable(true);
        dialog.setConfirmButtonTheme("error primary");
        dialog.open();
    }

    private void closeEditor() {
        current = null;
        editor.setVisible(false);
        grid.asSingleSelect().clear();
    }

    private void refresh() {
        grid.setItems(service.list(search.getValue(), showArchived.getValue()));
    }

    private static void notify(String text, NotificationVariant variant) {
        Notification n = Notification.show(text, 4000, Notification.Position.BOTTOM_START);
        n.addThemeVariants(variant);
    }
}
