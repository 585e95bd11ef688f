package com.bedrockportal.application;

import java.time.Clock;
import java.util.List;

import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.UnitBudgetKeeper;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.notification.Notifier;
import com.bedrockportal.provisioning.Budgets;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.shared.FormValidation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The unit-wide budget {@code {unit}-bedrock-monthly}: the unit's default monthly budget over the unit's whole Bedrock
 * spend (Amazon Bedrock and the unit's cost-allocation tag), alerts to the unit's owner e-mail at ACTUAL above 80 %
 * and FORECASTED above 100 % (the thresholds the application budgets use by default). Created or updated whenever an
 * admin saves the unit, in the save's transaction and AWS first: a refusal rolls the save back.
 *
 * <p><b>The name taken before applications.</b> Until applications, {@code {unit}-bedrock-monthly} was the unit's only
 * budget, and the application migrated from those days (slug {@code unit-key}) records it. It counts exactly what
 * the unit-wide budget counts (the unit's tag), so it <em>becomes</em> the unit-wide budget: the save updates it in
 * place (nothing is renamed or deleted in AWS) and the migrated application's record is pointed at a budget of its
 * own, {@code {unit}-unit-key-bedrock-monthly}, which its next approved change creates. From then on only the unit
 * names it — never two owners — and its owner is told that the alerts changed. An application created later never
 * gets the unit's name ({@link ApplicationNames#of}).
 */
@Component
class UnitBudgets implements UnitBudgetKeeper {

    static final String AUDIT_UNIT_BUDGET = "UNIT_BUDGET_SAVED";
    static final String AUDIT_BUDGET_TO_UNIT = "APPLICATION_BUDGET_TO_UNIT";
    static final int ALERT_AT = 80;

    private static final Logger log = LoggerFactory.getLogger(UnitBudgets.class);

    private final Budgets budgets;
    private final ApplicationRepository repository;
    private final AuditLog audit;
    private final Notifier notifier;
    private final CurrentUser currentUser;
    private final FormValidation texts;
    private final Clock clock;

    UnitBudgets(Budgets budgets, ApplicationRepository repository, AuditLog audit, Notifier notifier,
            CurrentUser currentUser, FormValidation texts, Clock clock) {
        this.budgets = budgets;
        this.repository = repository;
        this.audit = audit;
        this.notifier = notifier;
        this.currentUser = currentUser;
        this.texts = texts;
        this.clock = clock;
    }

    @Override
    public void keep(BusinessUnit unit) {
        String name = ApplicationNames.unitBudget(unit.slug());
        List<String> to = List.of(unit.ownerEmail());
        Budgets.BudgetSpec spec = new Budgets.BudgetSpec(name, unit.defaultMonthlyBudget(), unit.slug(),
                List.of(new Budgets.BudgetAlert("ACTUAL", ALERT_AT, to), new Budgets.BudgetAlert("FORECASTED", 100, to)));
        // Slugs join with "-": unit "marketing-emea"'s budget is application "emea" of unit "marketing"'s. Another
        // unit's application's budget is never taken over (its amount, alerts, and its deletion with the unit).
        List<Application> others = repository.recordingBudgetElsewhere(unit.id(), name);
        if (!others.isEmpty()) {
            if (unit.version() == 0) {
                throw new Failed(texts.text("unitBudget.otherApplication", name, others.get(0).displayName()), null);
            }
            // A unit that collided before this check existed still saves (members who leave, owners): its unit-wide
            // budget is left alone rather than taking the other unit's application's over.
            log.warn("Unit-wide budget {} of {} not kept: it is the budget of application {} of another unit", name,
                    unit.slug(), others.get(0).id());
            audit.record(currentUser.usernameOrAnonymous(), AUDIT_UNIT_BUDGET, "business-unit:" + unit.slug(),
                    "not kept: " + name + " is the budget of another unit's application " + others.get(0).id());
            return;
        }
        boolean created;
        try {
            created = createOrUpdate(spec);
        } catch (CloudException e) {
            throw new Failed(e.business() ? texts.text("unitBudget.aws.refused", name, e.forPeopleLogged(log,
                    "Unit-wide budget " + name))
                    : texts.text("unitBudget.aws.transient", name), e);
        }
        String actor = currentUser.usernameOrAnonymous();
        for (Application app : repository.recordingBudget(unit.id(), name)) {
            String own = ApplicationNames.of(unit.slug(), app.slug()).budgetName();
            repository.changeBudgetName(app.id(), own, clock.instant());
            audit.record(actor, AUDIT_BUDGET_TO_UNIT, "application:" + app.id(), "budget " + name + " is now the "
                    + "unit-wide budget of " + unit.slug() + "; the application's own budget will be " + own
                    + ", created by its next approved change");
            notifier.notify(List.of(app.owner()), texts.text("unitBudget.notify.title", name),
                    texts.text("unitBudget.notify.body", name, app.displayName(), unit.displayName(),
                            usd(unit), unit.ownerEmail(), own),
                    "applications/" + app.id());
        }
        audit.record(actor, AUDIT_UNIT_BUDGET, "business-unit:" + unit.slug(), (created ? "created " : "updated ")
                + name + ": " + usd(unit) + " USD a month, alerts to "
                + unit.ownerEmail());
    }

    /** Looks before it creates, and takes "already exists" (a save that raced, or a budget made by hand) as update. */
    private boolean createOrUpdate(Budgets.BudgetSpec spec) {
        if (budgets.findBudget(spec.name()).isPresent()) {
            budgets.updateBudget(spec);
            return false;
        }
        try {
            budgets.createBudget(spec);
            return true;
        } catch (CloudException e) {
            if (e.kind() != CloudException.Kind.ALREADY_EXISTS) {
                throw e;
            }
            budgets.updateBudget(spec);
            return false;
        }
    }

    private static String usd(BusinessUnit unit) {
        return unit.defaultMonthlyBudget().stripTrailingZeros().toPlainString();
    }
}
