package com.bedrockportal.application.ui;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.Decommission;
import com.bedrockportal.application.Decommissions;
import com.bedrockportal.testsupport.ServerSideUi;
import com.vaadin.flow.component.button.Button;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.Mockito;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After a decision in the decommission card the whole application page is rendered again. Rendered alone, the card
 * would show a run that finished meanwhile and turn the poll off, and the page's keys and status would stay as they
 * were before it (the rotation card's case, seen in CI; RotationPanelTest).
 */
class DecommissionPanelTest {

    private static final long APP = 9;

    @RegisterExtension
    final ServerSideUi ui = new ServerSideUi();
    private final Decommissions decommissions = Mockito.mock(Decommissions.class);
    private final List<DecommissionPanel> pages = new ArrayList<>();

    @Test
    void anApprovalWhoseRunFinishedAtOnceRendersTheWholePage() {
        Optional<Decommissions.Overview> pending = overview(Application.Status.ACTIVE,
                Decommission.Status.PENDING_APPROVAL, true);
        Optional<Decommissions.Overview> done = overview(Application.Status.DECOMMISSIONED, Decommission.Status.DONE,
                false);
        Mockito.when(decommissions.overview(APP)).thenReturn(pending);
        Mockito.when(decommissions.decide(Mockito.anyLong(), Mockito.eq(true), Mockito.any())).thenAnswer(a -> {
            // The whole run completes before the card could read it again.
            Mockito.when(decommissions.overview(APP)).thenReturn(done);
            return null;
        });
        DecommissionPanel card = page();

        ((Button) ServerSideUi.byId(card, "decommission-approve")).click();
        ui.beforeAnswer(); // the dialog is attached
        ((Button) ServerSideUi.byId(ui.ui(), "decommission-decision-confirm")).click();

        assertThat(pages).as("the page rendered again after the approval").hasSize(2);
    }

    /**
     * A run that fails after its first step (the keys revoked) leaves the application decommissioning: the poll sees
     * the run's change and renders the whole page, whose keys then show revoked. It rendered the card alone before
     * (the status had not changed) and turned the poll off, the keys still shown as they were.
     */
    @Test
    void aRunThatFailsRendersTheWholePageAtTheNextPoll() {
        Optional<Decommissions.Overview> running = overview(Application.Status.DECOMMISSIONING,
                Decommission.Status.RUNNING, false);
        Optional<Decommissions.Overview> failed = overview(Application.Status.DECOMMISSIONING,
                Decommission.Status.FAILED, false);
        Mockito.when(decommissions.overview(APP)).thenReturn(running);
        page();
        assertThat(ui.ui().getPollInterval()).isPositive();

        Mockito.when(decommissions.overview(APP)).thenReturn(failed);
        com.vaadin.flow.component.ComponentUtil.fireEvent(ui.ui(),
                new com.vaadin.flow.component.PollEvent(ui.ui(), true));

        assertThat(pages).as("the page rendered again at the poll").hasSize(2);
    }

    private DecommissionPanel page() {
        DecommissionPanel card = new DecommissionPanel(decommissions, APP, this::page);
        pages.add(card);
        ui.ui().add(card);
        return card;
    }

    private static Optional<Decommissions.Overview> overview(Application.Status status, Decommission.Status run,
            boolean mayDecide) {
        Application app = Mockito.mock(Application.class);
        Mockito.when(app.status()).thenReturn(status);
        Mockito.when(app.displayName()).thenReturn("Campaign copy");
        Decommission d = Mockito.mock(Decommission.class);
        Mockito.when(d.id()).thenReturn(3L);
        Mockito.when(d.status()).thenReturn(run);
        Mockito.when(d.requestedBy()).thenReturn("alice");
        Mockito.when(d.requestedAt()).thenReturn(Instant.now());
        return Optional.of(new Decommissions.Overview(app, Optional.of(d), List.of(),
                new Decommissions.Plan(List.of(), "user", "policy", null, null, 7), false, true, mayDecide));
    }
}
