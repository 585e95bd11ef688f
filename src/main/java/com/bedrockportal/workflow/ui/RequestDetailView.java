package com.bedrockportal.workflow.ui;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.provisioning.ProvisioningEvents;
import com.bedrockportal.provisioning.ProvisioningStep;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.PolicyPreview;
import com.bedrockportal.request.RequestChecks;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.request.Standing;
import com.bedrockportal.request.Standings;
import com.bedrockportal.request.ui.CostEstimatePanel;
import com.bedrockportal.request.ui.LintList;
import com.bedrockportal.request.ui.StatusBadge;
import com.bedrockportal.shared.ui.Card;
import com.bedrockportal.shared.ui.UserTime;
import com.bedrockportal.workflow.ApprovalService;
import com.bedrockportal.workflow.ProvisioningPreflight;
import com.bedrockportal.workflow.ProvisioningProgress;
import com.bedrockportal.workflow.RequestRoutes;
import com.bedrockportal.workflow.Stage;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;

import jakarta.annotation.security.PermitAll;

import org.springframework.beans.factory.annotation.Value;

/**
 * One request: its details, the exact policy, risk flags for approvers, the decision panel for whoever may decide
 * now, withdrawal for the requester, and the timeline. The service decides who may see it; anyone else gets the
 * same answer as for a request that does not exist.
 */
@Route(value = "requests/:id", layout = MainLayout.class)
@PageTitle("Request · Bedrock Access Portal")
@PermitAll
public class RequestDetailView extends VerticalLayout implements BeforeEnterObserver {

    private final transient RequestService requests;
    private final transient ApprovalService approvals;
    private final transient BusinessUnitService units;
    private final transient CurrentUser currentUser;
    private final transient ProvisioningProgress progress;
    private final transient ProvisioningEvents provisioningEvents;
    private final transient ProvisioningPreflight preflight;
    private final transient Standings standings;
    private final transient ModelCatalog catalog;
    private final transient RequestChecks checks;
    private transient Runnable unsubscribe;
    private transient Registration pollRegistration;
    private List<ProvisioningProgress.StepState> shownProgress = List.of();
    private String shownStanding = "";
    /** A failed change's put-back still to come: its job runs after the failure, which the page polls for. */
    private boolean awaitingPutBack;
    private String shownPutBack;
    private long requestId;
    private final int pollMillis;
    private final transient Clock clock;

    public RequestDetailView(RequestService requests, ApprovalService approvals, BusinessUnitService units,
            CurrentUser currentUser, ProvisioningProgress progress, ProvisioningEvents provisioningEvents,
            ProvisioningPreflight preflight, Standings standings, ModelCatalog catalog, RequestChecks checks,
            Clock clock, @Value("${portal.cluster.progress-poll:PT2S}") Duration poll) {
        this.clock = clock;
        this.pollMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(500, poll.toMillis()));
        this.checks = checks;
        this.standings = standings;
        this.catalog = catalog;
        this.preflight = preflight;
        this.progress = progress;
        this.provisioningEvents = provisioningEvents;
        this.requests = requests;
        this.approvals = approvals;
        this.units = units;
        this.currentUser = currentUser;
        addClassName("portal-page");
        setId("request-detail");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<Long> id = event.getRouteParameters().get("id").flatMap(RequestDetailView::parse);
        Optional<AccessRequest> request = id.flatMap(requests::find);
        removeAll();
        if (request.isEmpty()) {
            Paragraph missing = new Paragraph(getTranslation("detail.notFound"));
            missing.setId("request-not-found");
            add(new H2(getTranslation("detail.notFoundTitle")), missing);
            return;
        }
        requestId = request.get().id();
        render(request.get());
    }

    private void render(AccessRequest r) {
        removeAll();
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        String unitName = units.find(r.businessUnitId()).map(u -> u.displayName()).orElse("?");
        Standing standing = standings.of(r);
        shownStanding = standing.code();
        Span badge = StatusBadge.of(standing);
        badge.setId("request-status");
        HorizontalLayout header = new HorizontalLayout(new H2(getTranslation("detail.title", r.id(), unitName)), badge);
        header.setAlignItems(Alignment.BASELINE);
        header.getStyle().set("flex-wrap", "wrap");
        add(header);

        Runnable refresh = () -> requests.find(requestId).ifPresent(this::render);
        boolean approver = me.has(PortalRole.MANAGER) || me.has(PortalRole.SECURITY) || me.has(PortalRole.ADMIN);
        // Raw AWS errors help the platform team, not requesters: they read that it is delayed and being fixed.
        boolean technical = me.has(PortalRole.SECURITY) || me.has(PortalRole.ADMIN);
        List<Component> left = new ArrayList<>();
        if ("DELAYED".equals(standing.code()) && !technical) {
            Card delayed = new Card("detail.delayed.title", "provisioning-delayed");
            delayed.add(new Paragraph(getTranslation("detail.delayed.text")));
            delayed.addClassName("portal-card-warning");
            left.add(delayed);
        }
        left.add(new RequestPanels.Details(r, catalog.byId()));
        PolicyPreview policy = requests.policyOf(r.id()).orElseThrow();
        List<com.bedrockportal.request.TimelineEntry> timeline = requests.timeline(r.id());
        if (r.isChange()) {
            left.add(new RequestPanels.Change(r, policy.guardrail()));
        }
        if (r.status() == RequestStatus.PENDING_MANAGER || r.status() == RequestStatus.PENDING_SECURITY) {
            left.add(new RequestPanels.Preflight(preflight.checks(r)));
        }
        if (approver) {
            left.add(new RequestPanels.RiskFlags(approvals.riskFlags(r.id())));
        }
        LintList lint = new LintList("request-lint");
        lint.show(checks.lintOf(r.id()));
        left.add(lint);
        checks.estimateOf(r.id()).ifPresent(estimate -> {
            CostEstimatePanel cost = new CostEstimatePanel("request-cost");
            cost.show(estimate);
            left.add(cost);
        });
        if (PROVISIONING_STATES.contains(r.status())) {
            shownProgress = progress.of(r.id());
            boolean copies = RequestRoutes.copiesToSecretsManager(r);
            RequestPanels.ProvisioningSteps steps = new RequestPanels.ProvisioningSteps(shownProgress.stream()
                    .filter(step -> copies || step.step() != ProvisioningStep.SECRET).toList(), technical,
                    r.shortTermOnly());
            // A failed change's steps were put back (or not): "done" alone would say the application has them.
            shownPutBack = putBackOf(timeline);
            if (shownPutBack != null) {
                Paragraph note = new Paragraph(getTranslation("detail.provisioning." + shownPutBack));
                note.setId("provisioning-put-back");
                note.getElement().setAttribute("data-event", shownPutBack);
                steps.add(note);
            }
            left.add(steps);
        } else {
            shownProgress = List.of();
        }
        // Completed steps are pushed the moment they commit; retries and incidents are recorded by the engine
        // outside any step, so a light poll picks those up — only while provisioning is under way.
        // A failed change's put-back runs as a job of its own after the failure has committed, and tells no page:
        // the poll goes on until it is recorded (for at most PUT_BACK_WAIT after the failure; later it is stuck in an
        // incident, which the Incidents page shows).
        boolean inFlight = r.status() == RequestStatus.APPROVED || r.status() == RequestStatus.PROVISIONING;
        awaitingPutBack = r.isChange() && r.status() == RequestStatus.PROVISIONING_FAILED && shownPutBack == null
                && timeline.stream().filter(e -> e.type().equals("PROVISIONING_FAILED")).reduce((a, b) -> b)
                        .filter(failed -> failed.at().isAfter(clock.instant().minus(PUT_BACK_WAIT))).isPresent();
        UI.getCurrent().setPollInterval(inFlight || awaitingPutBack ? pollMillis : -1);
        Optional<Stage> stage = approvals.decidableStage(r.id());
        if (stage.isPresent()) {
            left.add(new RequestPanels.DecisionForm(approvals, r.id(), stage.get(), refresh));
        } else if (me.has(PortalRole.MANAGER) || me.has(PortalRole.SECURITY)) {
            approvals.whyNot(r.id()).map(RequestPanels.DecisionForm::notAllowed).ifPresent(left::add);
        }
        if (r.requester().equals(me.username()) && r.status() == RequestStatus.PROVISIONED
                && RequestRoutes.issuesKey(r)) {
            left.add(keyCard(standing, r.id()));
        }
        if (r.requester().equals(me.username()) && r.status().pending()) {
            left.add(new RequestPanels.Withdraw(requests, r.id(), refresh));
        }
        left.add(new RequestPanels.Timeline(timeline));
        VerticalLayout leftColumn = new VerticalLayout(left.toArray(Component[]::new));
        leftColumn.setPadding(false);

        FlexLayout columns = new FlexLayout(leftColumn,
                new RequestPanels.Policy(policy));
        columns.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        columns.setWidthFull();
        columns.getStyle().set("gap", "var(--lumo-space-l)");
        columns.setFlexBasis("440px", leftColumn);
        columns.setFlexGrow(3, leftColumn);
        add(columns);
    }

    /** The requester's next step with the key: reveal it while it can be, else where it went. */
    private Card keyCard(Standing standing, long id) {
        Card card = new Card("detail.reveal.title", "reveal-panel");
        if (standing.revealable()) {
            Button revealKey = new Button(getTranslation("detail.reveal"),
                    e -> getUI().ifPresent(ui -> ui.navigate("keys/reveal/" + id)));
            revealKey.setId("reveal-key");
            revealKey.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            card.add(new Paragraph(getTranslation("detail.reveal.text")), revealKey);
            return card;
        }
        Paragraph what = new Paragraph(standing.revealedAt() != null
                ? getTranslation("detail.key.revealed", UserTime.format(standing.revealedAt()))
                : getTranslation("detail.key.notRevealable"));
        what.setId("key-revealed-note");
        card.add(what);
        if (standing.keyId() != null) {
            Button open = new Button(getTranslation("detail.key.open"),
                    e -> getUI().ifPresent(ui -> ui.navigate("keys/" + standing.keyId())));
            open.setId("open-key-page");
            open.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
            card.add(open);
        }
        return card;
    }

    /** How long after a change's failure its page waits for the put-back. */
    static final Duration PUT_BACK_WAIT = Duration.ofMinutes(10);

    /** The newest put-back event of a failed change (CHANGE_PUT_BACK or CHANGE_NOT_PUT_BACK), or null. */
    private static String putBackOf(List<com.bedrockportal.request.TimelineEntry> timeline) {
        return timeline.stream().map(com.bedrockportal.request.TimelineEntry::type)
                .filter(t -> t.equals("CHANGE_PUT_BACK") || t.equals("CHANGE_NOT_PUT_BACK")).reduce((a, b) -> b)
                .orElse(null);
    }

    private static final Set<RequestStatus> PROVISIONING_STATES = EnumSet.of(RequestStatus.APPROVED,
            RequestStatus.PROVISIONING, RequestStatus.PROVISIONED, RequestStatus.PROVISIONING_FAILED);

    @Override
    protected void onAttach(AttachEvent event) {
        super.onAttach(event);
        UI ui = event.getUI();
        unsubscribe = provisioningEvents.subscribe(changed -> {
            if (changed == requestId) {
                ui.access(() -> requests.find(requestId).ifPresent(this::render));
            }
        });
        // The standing too: an incident raised between reading the standing and the steps in one render shows in
        // the steps only (the badge would stay "Provisioning" while the steps already say "failed").
        pollRegistration = ui.addPollListener(e -> {
            if (requestId > 0 && !shownProgress.isEmpty()) {
                requests.find(requestId).filter(r -> !progress.of(requestId).equals(shownProgress)
                        || !standings.of(r).code().equals(shownStanding)
                        || awaitingPutBack && !Objects.equals(putBackOf(requests.timeline(requestId)),
                                shownPutBack))
                        .ifPresent(this::render);
            }
        });
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (unsubscribe != null) {
            unsubscribe.run();
        }
        if (pollRegistration != null) {
            pollRegistration.remove();
            event.getUI().setPollInterval(-1);
        }
        super.onDetach(event);
    }

    private static Optional<Long> parse(String s) {
        try {
            return Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
