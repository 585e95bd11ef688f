package com.bedrockportal.request.ui;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.DataClassification;
import com.bedrockportal.request.PolicyPreview;
import com.bedrockportal.request.RequestChecks;
import com.bedrockportal.request.RequestDraft;
import com.bedrockportal.request.RequestProperties;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;
import com.bedrockportal.shared.ui.CodeBlocks;
import com.bedrockportal.shared.ui.DraftBinder;
import com.bedrockportal.shared.ui.FormErrors;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/**
 * The request form, with a live preview of the exact IAM policy and tags approval will create. The fields are bound to
 * a {@link RequestDraft}; the draft's field rules show as the user types, the service checks every rule again on
 * submit and its messages appear next to the fields; nothing is saved until all are valid.
 */
@Route(value = "requests/new", layout = MainLayout.class)
@PageTitle("Request Bedrock access · Bedrock Access Portal")
@Menu(title = "nav.newRequest", order = 10, icon = "vaadin:plus-circle-o")
@RolesAllowed(PortalRole.REQUESTER_ROLE)
public class RequestFormView extends VerticalLayout implements BeforeEnterObserver {

    private final transient RequestService service;
    private final transient RequestChecks checks;
    private final RequestRiskSection risk = new RequestRiskSection();
    private final RequestDraft draft = new RequestDraft();
    private final DraftBinder<RequestDraft> binder;

    private final ComboBox<BusinessUnit> unit = new ComboBox<>();
    private final RadioButtonGroup<AccessRequest.Kind> kind = new RadioButtonGroup<>();
    private final ComboBox<Application> application = new ComboBox<>();
    private final Checkbox newKey = new Checkbox();
    private final ChangeSummary changeSummary;
    private final TextField applicationName = new TextField();
    private final TextField applicationSlug = new TextField();
    private boolean slugEdited;
    private final TextArea purpose = new TextArea();
    private final MultiSelectComboBox<CatalogModel> models = new MultiSelectComboBox<>();
    private final MultiSelectComboBox<String> regions = new MultiSelectComboBox<>();
    private final TextArea sourceCidrs = new TextArea();
    private final IntegerField lifetimeDays = new IntegerField();
    private final BigDecimalField monthlyBudget = new BigDecimalField();
    private final IntegerField alertThreshold = new IntegerField();
    private final TextField alertEmails = new TextField();
    private final Checkbox storeSecret = new Checkbox();
    private final KeyKindChoice keyKind = new KeyKindChoice();
    private final EmailField ownerEmail = new EmailField();
    private final RadioButtonGroup<DataClassification> classification = new RadioButtonGroup<>();
    private final FormErrors errors = new FormErrors();
    private final Button submit = new Button();

    private final Pre policy = new Pre();
    private final Span policySize = new Span();
    /** The last preview's policy fitted; a refused submit with an oversized policy shows the size error. */
    private boolean policyFits = true;
    /** The policy size messages the last submit showed, by field: they go once the policy fits. */
    private final Map<HasValidation, String> sizeErrors = new HashMap<>();
    private final UnorderedList tags = new UnorderedList();
    private final Span iamUser = new Span();
    private final UnorderedList notes = new UnorderedList();

    public RequestFormView(RequestService service, ModelCatalog catalog, RequestProperties properties,
            CurrentUser currentUser, FormValidation rules, RequestChecks checks) {
        this.service = service;
        this.checks = checks;
        this.binder = new DraftBinder<>(RequestDraft.class, rules);
        Map<String, String> modelNames = catalog.all().stream()
                .collect(Collectors.toMap(CatalogModel::modelId, CatalogModel::displayName, (a, b) -> a));
        this.changeSummary = new ChangeSummary("request", id -> modelNames.getOrDefault(id, id));
        addClassName("portal-page");
        setId("request-form");
        String myEmail = currentUser.get().map(CurrentUser.Principal::email).orElse("");

        List<BusinessUnit> units = service.requestableUnits();
        List<CatalogModel> enabled = catalog.enabled();
        configureFields(units, enabled, properties);
        bind(units, enabled, properties);
        risk.bind(binder);
        fillDefaults(units, properties, myEmail == null ? "" : myEmail);
        binder.readBean(draft);
        for (HasValue<?, ?> field : List.<HasValue<?, ?>>of(unit, kind, application, applicationSlug, models,
                regions, sourceCidrs, lifetimeDays, monthlyBudget, storeSecret, newKey, ownerEmail, classification)) {
            field.addValueChangeListener(e -> refreshPreview());
        }
        for (HasValue<?, ?> field : risk.fields()) {
            field.addValueChangeListener(e -> refreshPreview());
        }

        FormLayout form = new FormLayout(unit, kind, application, newKey, applicationName, applicationSlug, purpose,
                models, regions, sourceCidrs, lifetimeDays, monthlyBudget, alertThreshold, alertEmails, ownerEmail,
                classification, storeSecret, keyKind);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("520px", 2));
        form.setColspan(purpose, 2);
        form.setColspan(application, 2);
        form.setColspan(newKey, 2);
        form.setColspan(models, 2);
        form.setColspan(sourceCidrs, 2);
        form.setColspan(classification, 2);
        form.setColspan(storeSecret, 2);
        form.setColspan(keyKind, 2);
        // 12-hour keys: a key made on demand is never copied to Secrets Manager; a change keeps its application's kind.
        keyKind.addValueChangeListener(e -> storeSecret.setEnabled(!Boolean.TRUE.equals(e.getValue())));

        submit.setText(getTranslation("request.submit"));
        submit.setId("request-submit");
        submit.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        submit.setDisableOnClick(true);
        submit.addClickListener(e -> submit());
        errors.formLine().setId("request-form-error");
        errors.field("businessUnitId", unit).field("kind", kind).field("applicationId", application)
                .field("applicationName", applicationName)
                .field("applicationSlug", applicationSlug).field("purpose", purpose).field("models", models)
                .field("regions", regions).field("sourceCidrs", sourceCidrs).field("lifetimeDays", lifetimeDays)
                .field("monthlyBudget", monthlyBudget).field("alertThreshold", alertThreshold)
                .field("alertEmails", alertEmails).field("ownerEmail", ownerEmail)
                .field("dataClassification", classification).field("storeSecret", storeSecret);
        risk.errorsTo(errors);

        VerticalLayout left = new VerticalLayout(form, risk.fieldsBlock(), risk.estimate(), errors.formLine(),
                new HorizontalLayout(submit));
        left.setPadding(false);
        left.setWidth(null);
        left.getStyle().set("min-width", "0");
        Div preview = new Div(new H3(getTranslation("request.preview.title")),
                new Paragraph(getTranslation("request.preview.text")), changeSummary,
                labelled("request.preview.iamUser", iamUser),
                new Span(getTranslation("request.preview.tags")), tags, new Span(getTranslation("request.preview.policy")),
                policySize, policy, notes);
        preview.addClassName("portal-card");
        preview.setId("policy-preview");
        preview.getStyle().set("min-width", "0");
        policy.setId("policy-json");
        policySize.setId("policy-size");
        policySize.getStyle().set("display", "block").set("font-size", "var(--lumo-font-size-s)");
        CodeBlocks.scrollable(policy, getTranslation("code.policy"));
        tags.setId("policy-tags");

        Div right = new Div(risk.lint(), preview);
        right.getStyle().set("min-width", "0").set("display", "flex").set("flex-direction", "column")
                .set("gap", "var(--lumo-space-m)");
        FlexLayout columns = new FlexLayout(left, right);
        columns.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        columns.setWidthFull();
        columns.getStyle().set("gap", "var(--lumo-space-l)");
        columns.setFlexBasis("480px", left);
        columns.setFlexBasis("380px", right);
        columns.setFlexGrow(3, left);
        columns.setFlexGrow(2, right);

        add(new H2(getTranslation("request.title")));
        if (units.isEmpty()) {
            Paragraph none = new Paragraph(getTranslation("request.noUnits"));
            none.setId("request-no-units");
            add(none);
        }
        add(columns);
        showKind();
        refreshPreview();
    }

    /** {@code ?change=ID} (the application page's "Request a change") opens the form on a change to that application. */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        List<String> change = event.getLocation().getQueryParameters().getParameters().get("change");
        if (change == null || change.isEmpty() || change.get(0).length() > 19 || !change.get(0).matches("\\d+")) {
            return;
        }
        long id = Long.parseLong(change.get(0));
        for (BusinessUnit u : unit.getListDataView().getItems().toList()) {
            for (Application app : service.changeableApplications(u.id())) {
                if (app.id() == id) {
                    unit.setValue(u);
                    kind.setValue(AccessRequest.Kind.CHANGE);
                    application.setValue(app);
                    return;
                }
            }
        }
    }

    /** New application: name and slug. Change: which application, and whether to issue a new key. */
    private void showKind() {
        boolean change = kind.getValue() == AccessRequest.Kind.CHANGE;
        applicationName.setVisible(!change);
        applicationSlug.setVisible(!change);
        application.setVisible(change);
        newKey.setVisible(change);
        keyKind.setVisible(!change);
        purpose.setHelperText(getTranslation(change ? "request.change.purpose.helper" : "request.purpose.helper"));
        if (change) {
            application.setItems(unit.getValue() == null ? List.of()
                    : service.changeableApplications(unit.getValue().id()));
        }
    }

    /** A change starts from the application's current access: every field shows it, to be edited. */
    private void startFrom(Application app) {
        Application.Access a = app.access();
        applicationName.setValue(app.displayName());
        applicationSlug.setValue(app.slug());
        slugEdited = false;
        models.setValue(models.getListDataView().getItems().filter(m -> a.models().contains(m.modelId()))
                .collect(Collectors.toCollection(LinkedHashSet::new)));
        regions.setValue(new LinkedHashSet<>(a.regions()));
        sourceCidrs.setValue(String.join("\n", a.sourceCidrs()));
        lifetimeDays.setValue(a.lifetimeDays());
        monthlyBudget.setValue(a.monthlyBudget());
        alertThreshold.setValue(a.alertThreshold());
        alertEmails.setValue(String.join(", ", a.alertEmails()));
        storeSecret.setValue(a.storeSecret());
        ownerEmail.setValue(app.ownerEmail());
        classification.setValue(DataClassification.valueOf(app.dataClassification()));
        risk.setGuardrail(service.currentGuardrail(app));
        newKey.setValue(false);
    }

    private void configureFields(List<BusinessUnit> units, List<CatalogModel> catalog, RequestProperties properties) {
        unit.setLabel(getTranslation("request.unit"));
        unit.setId("request-unit");
        unit.setItems(units);
        unit.setItemLabelGenerator(BusinessUnit::displayName);
        unit.setRequiredIndicatorVisible(true);
        unit.addValueChangeListener(e -> {
            if (e.getValue() != null && e.isFromClient() || e.getValue() != null && monthlyBudget.isEmpty()) {
                monthlyBudget.setValue(e.getValue().defaultMonthlyBudget());
            }
            application.clear();
            showKind();
        });

        kind.setLabel(getTranslation("request.kind"));
        kind.setId("request-kind");
        kind.setItems(AccessRequest.Kind.values());
        kind.setItemLabelGenerator(k -> getTranslation("request.kind." + k.name()));
        kind.addValueChangeListener(e -> {
            if (e.getOldValue() == AccessRequest.Kind.CHANGE) {
                // Back to a new application: the changed application's name and slug are not this one's.
                application.clear();
                applicationName.clear();
                applicationSlug.clear();
            }
            showKind();
        });

        application.setLabel(getTranslation("request.change.application"));
        application.setId("request-application");
        application.setHelperText(getTranslation("request.change.application.helper"));
        application.setItemLabelGenerator(a -> a.displayName() + " (" + a.slug() + ")");
        application.setRequiredIndicatorVisible(true);
        application.addValueChangeListener(e -> {
            if (e.getValue() != null) {
                startFrom(e.getValue());
            }
        });

        newKey.setLabel(getTranslation("request.newKey"));
        newKey.setId("request-new-key");
        newKey.setHelperText(getTranslation("request.newKey.helper"));

        applicationName.setLabel(getTranslation("request.app.name"));
        applicationName.setId("request-app-name");
        applicationName.setHelperText(getTranslation("request.app.name.helper"));
        applicationName.setMaxLength(RequestDraft.APPLICATION_NAME_MAX);
        applicationName.setRequiredIndicatorVisible(true);
        applicationName.setValueChangeMode(ValueChangeMode.LAZY);
        applicationName.addValueChangeListener(e -> {
            if (!slugEdited) {
                applicationSlug.setValue(ApplicationNames.proposeSlug(e.getValue()));
            }
        });
        applicationSlug.setLabel(getTranslation("request.app.slug"));
        applicationSlug.setId("request-app-slug");
        applicationSlug.setMaxLength(ApplicationNames.SLUG_MAX);
        applicationSlug.setRequiredIndicatorVisible(true);
        applicationSlug.setValueChangeMode(ValueChangeMode.LAZY);
        applicationSlug.addValueChangeListener(e -> {
            if (e.isFromClient()) {
                slugEdited = true;
            }
        });

        purpose.setLabel(getTranslation("request.purpose"));
        purpose.setId("request-purpose");
        purpose.setHelperText(getTranslation("request.purpose.helper"));
        purpose.setMaxLength(RequestDraft.PURPOSE_MAX);
        purpose.setRequiredIndicatorVisible(true);
        purpose.setMinHeight("100px");

        models.setLabel(getTranslation("request.models"));
        models.setId("request-models");
        models.setItems(catalog);
        models.setItemLabelGenerator(CatalogModel::label);
        models.setRequiredIndicatorVisible(true);
        models.setHelperText(getTranslation("request.models.helper"));

        regions.setLabel(getTranslation("request.regions"));
        regions.setId("request-regions");
        regions.setItems(properties.regions());
        regions.setRequiredIndicatorVisible(true);

        sourceCidrs.setLabel(getTranslation("request.cidrs"));
        sourceCidrs.setId("request-cidrs");
        sourceCidrs.setMaxLength(properties.maxSourceCidrs() * (RequestDraft.CIDR_TEXT_MAX + 2));
        sourceCidrs.setHelperText(getTranslation("request.cidrs.helper"));
        sourceCidrs.setValueChangeMode(ValueChangeMode.LAZY);

        lifetimeDays.setLabel(getTranslation("request.lifetime"));
        lifetimeDays.setId("request-lifetime");
        lifetimeDays.setHelperText(getTranslation("request.lifetime.helper", properties.maxLifetimeDays()));
        lifetimeDays.setStepButtonsVisible(true);
        lifetimeDays.setRequiredIndicatorVisible(true);

        monthlyBudget.setLabel(getTranslation("request.budget"));
        monthlyBudget.setId("request-budget");
        monthlyBudget.setPrefixComponent(new Span("$"));
        monthlyBudget.setRequiredIndicatorVisible(true);

        alertThreshold.setLabel(getTranslation("request.threshold"));
        alertThreshold.setId("request-threshold");
        alertThreshold.setSuffixComponent(new Span("%"));
        alertThreshold.setRequiredIndicatorVisible(true);

        alertEmails.setLabel(getTranslation("request.alertEmails"));
        alertEmails.setId("request-alert-emails");
        alertEmails.setMaxLength(RequestDraft.ALERT_EMAILS_TEXT_MAX);
        alertEmails.setHelperText(getTranslation("request.alertEmails.helper"));
        alertEmails.setRequiredIndicatorVisible(true);

        ownerEmail.setLabel(getTranslation("request.owner"));
        ownerEmail.setMaxLength(RequestDraft.EMAIL_MAX);
        ownerEmail.setId("request-owner");
        ownerEmail.setRequiredIndicatorVisible(true);

        classification.setLabel(getTranslation("request.classification"));
        classification.setId("request-classification");
        classification.setItems(DataClassification.values());
        classification.setItemLabelGenerator(c -> getTranslation("classification." + c.name()));
        classification.setRequiredIndicatorVisible(true);

        storeSecret.setLabel(getTranslation("request.storeSecret"));
        storeSecret.setId("request-store-secret");
    }

    /**
     * Each field to its draft property, checked by the draft's rules; the settings' limits (longest lifetime, largest
     * budget) are checked here too, so they show before submitting.
     */
    private void bind(List<BusinessUnit> units, List<CatalogModel> catalog, RequestProperties properties) {
        Map<Long, BusinessUnit> unitsById = units.stream().collect(Collectors.toMap(BusinessUnit::id, u -> u));
        Map<String, CatalogModel> modelsById = catalog.stream()
                .collect(Collectors.toMap(CatalogModel::modelId, Function.identity()));
        binder.forField(unit).withConverter(u -> u == null ? null : u.id(), unitsById::get)
                .withValidator(binder.rule("businessUnitId"))
                .bind(RequestDraft::getBusinessUnitId, RequestDraft::setBusinessUnitId);
        binder.forField(kind).withValidator(binder.rule("kind")).bind(RequestDraft::getKind, RequestDraft::setKind);
        binder.forField(application).withConverter(a -> a == null ? null : a.id(),
                        (Long id) -> id == null ? null : application.getListDataView().getItems()
                                .filter(a -> a.id() == id).findFirst().orElse(null))
                .bind(RequestDraft::getApplicationId, RequestDraft::setApplicationId);
        binder.forField(newKey).bind(RequestDraft::isNewKey, RequestDraft::setNewKey);
        binder.forField(keyKind).bind(RequestDraft::isShortTermOnly, RequestDraft::setShortTermOnly);
        binder.forField(applicationName).withValidator(binder.rule("applicationName"))
                .bind(RequestDraft::getApplicationName, RequestDraft::setApplicationName);
        binder.forField(applicationSlug).withValidator(binder.rule("applicationSlug"))
                .bind(RequestDraft::getApplicationSlug, RequestDraft::setApplicationSlug);
        binder.forField(purpose).withValidator(binder.rule("purpose"))
                .bind(RequestDraft::getPurpose, RequestDraft::setPurpose);
        binder.forField(models).withConverter(
                        chosen -> chosen.stream().map(CatalogModel::modelId).toList(),
                        (List<String> ids) -> ids.stream().map(modelsById::get).filter(Objects::nonNull)
                                .collect(Collectors.toCollection(LinkedHashSet::new)))
                .withValidator(binder.rule("models")).bind(RequestDraft::getModels, RequestDraft::setModels);
        binder.forField(regions).withConverter(chosen -> chosen.stream().sorted().toList(),
                        (List<String> chosen) -> (Set<String>) new LinkedHashSet<>(chosen))
                .withValidator(binder.rule("regions")).bind(RequestDraft::getRegions, RequestDraft::setRegions);
        binder.forField(sourceCidrs).withValidator(binder.rule("sourceCidrs"))
                .bind(RequestDraft::getSourceCidrs, RequestDraft::setSourceCidrs);
        String longest = String.valueOf(properties.maxLifetimeDays());
        binder.forField(lifetimeDays).withValidator(binder.rule("lifetimeDays"))
                .withValidator(days -> days == null || days <= properties.maxLifetimeDays(),
                        getTranslation("request.lifetime.range", longest))
                .bind(RequestDraft::getLifetimeDays, RequestDraft::setLifetimeDays);
        BigDecimal largest = properties.maxMonthlyBudget();
        binder.forField(monthlyBudget).withValidator(binder.rule("monthlyBudget"))
                .withValidator(budget -> budget == null || budget.compareTo(largest) <= 0,
                        getTranslation("request.budget.max", largest.toPlainString()))
                .bind(RequestDraft::getMonthlyBudget, RequestDraft::setMonthlyBudget);
        binder.forField(alertThreshold).withValidator(binder.rule("alertThreshold"))
                .bind(RequestDraft::getAlertThreshold, RequestDraft::setAlertThreshold);
        binder.forField(alertEmails).withValidator(binder.rule("alertEmails"))
                .bind(RequestDraft::getAlertEmails, RequestDraft::setAlertEmails);
        binder.forField(ownerEmail).withValidator(binder.rule("ownerEmail"))
                .bind(RequestDraft::getOwnerEmail, RequestDraft::setOwnerEmail);
        binder.forField(classification).withValidator(binder.rule("dataClassification"))
                .bind(RequestDraft::getDataClassification, RequestDraft::setDataClassification);
        binder.forField(storeSecret).bind(RequestDraft::isStoreSecret, RequestDraft::setStoreSecret);
    }

    /** What the form proposes: the settings' lifetime and region, the user's address, the only unit and its budget. */
    private void fillDefaults(List<BusinessUnit> units, RequestProperties properties, String myEmail) {
        draft.setLifetimeDays(properties.defaultLifetimeDays());
        if (properties.regions().contains(properties.defaultRegion())) {
            draft.setRegions(List.of(properties.defaultRegion()));
        }
        draft.setAlertEmails(myEmail);
        draft.setOwnerEmail(myEmail);
        if (units.size() == 1) {
            draft.setBusinessUnitId(units.get(0).id());
            draft.setMonthlyBudget(units.get(0).defaultMonthlyBudget());
        }
    }

    private void refreshPreview() {
        binder.writeBeanAsDraft(draft, true);
        PolicyPreview preview = service.preview(draft);
        policy.setText(preview.policyJson());
        showPolicySize(preview);
        iamUser.setText(preview.iamUserName());
        applicationSlug.setHelperText(getTranslation("request.app.slug.helper", preview.iamUserName()));
        tags.removeAll();
        for (Map.Entry<String, String> tag : preview.tags().entrySet()) {
            tags.add(new ListItem(tag.getKey() + " = " + tag.getValue()));
        }
        notes.removeAll();
        preview.notes().forEach(n -> notes.add(new ListItem(n)));
        changeSummary.show(preview.kind(), preview.change(), preview.securityReview(), preview.guardrail());
        risk.refresh(checks, draft);
    }

    /**
     * "1,234 of 2,048 characters", in the error colour when over: the submit refuses such a policy. Once it fits
     * again, the size error shown at the last submit goes (trimming regions fixes an error shown under the models).
     */
    private void showPolicySize(PolicyPreview preview) {
        policyFits = preview.policyFits();
        if (policyFits) {
            // Only the size's message: another the field shows meanwhile (a binder's) stays.
            sizeErrors.forEach((field, message) -> {
                if (field.isInvalid() && Objects.equals(message, field.getErrorMessage())) {
                    FormErrors.mark(field, null);
                }
            });
            sizeErrors.clear();
        }
        int size = preview.policyCharacters();
        int limit = preview.policyLimit();
        policySize.setText(preview.policyFits() ? getTranslation("request.preview.size", size, limit)
                : getTranslation("request.preview.size.over", size, limit, size - limit));
        policySize.getElement().setAttribute("data-fits", String.valueOf(preview.policyFits()));
        policySize.getStyle().set("color", preview.policyFits() ? "var(--lumo-secondary-text-color)"
                : "var(--lumo-error-text-color)");
    }

    /** The service checks every rule again (the binder's included) and reports all problems at once. */
    private void submit() {
        errors.clear();
        binder.writeBeanAsDraft(draft, true);
        try {
            AccessRequest request = service.submit(draft);
            getUI().ifPresent(ui -> ui.navigate("requests/" + request.id()));
        } catch (FieldErrors refused) {
            errors.show(refused, getTranslation("request.fixErrors"));
            sizeErrors.clear();
            if (!policyFits) {
                List.<HasValidation>of(models, sourceCidrs).stream().filter(HasValidation::isInvalid)
                        .forEach(field -> sizeErrors.put(field, field.getErrorMessage()));
            }
            submit.setEnabled(true);
        }
    }

    private Div labelled(String key, Span value) {
        Span label = new Span(getTranslation(key) + ": ");
        label.getStyle().set("font-weight", "600");
        value.setId("policy-iam-user");
        return new Div(label, value);
    }

}
