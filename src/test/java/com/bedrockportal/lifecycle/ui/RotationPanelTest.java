package com.bedrockportal.lifecycle.ui;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.lifecycle.Rotations;
import com.bedrockportal.testsupport.ServerSideUi;
import com.vaadin.flow.component.button.Button;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.Mockito;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After an action in the rotation card the whole application page is rendered again, so its keys are read after the
 * rotation's state. When only the card was rendered again, a step that completed meanwhile was no change to the
 * card's poll, and the page's keys stayed as they were (RotationE2E in CI: the card said the new key waited for its
 * reveal, the keys listed none pending reveal).
 */
class RotationPanelTest {

    private static final long APP = 7;

    @RegisterExtension
    final ServerSideUi ui = new ServerSideUi();
    private final Rotations rotations = Mockito.mock(Rotations.class);
    private final List<RotationPanel> pages = new ArrayList<>();

    @Test
    void aSwitchThatCutOverAtOnceRendersTheWholePage() throws Exception {
        Mockito.when(rotations.overview(APP)).thenReturn(overview(Rotations.Status.OVERLAP, true));
        Mockito.doAnswer(done -> {
            // The cut-over's step completes before the card could read the rotation again.
            Mockito.when(rotations.overview(APP)).thenReturn(overview(Rotations.Status.CUT_OVER, false));
            return null;
        }).when(rotations).confirmSwitched(1);
        RotationPanel card = page();

        button(card, "rotation-confirm-switch").click();

        assertThat(pages).as("the page rendered again after the switch").hasSize(2);
        assertThat(status(pages.get(1))).isEqualTo("CUT_OVER");
    }

    @Test
    void aRefusedSwitchIsShownInThePageRenderedAgainAndOnlyThere() throws Exception {
        Mockito.when(rotations.overview(APP)).thenReturn(overview(Rotations.Status.OVERLAP, true));
        Mockito.doThrow(new Rotations.Refused("The old key was already switched off.")).when(rotations)
                .confirmSwitched(1);
        RotationPanel card = page();

        button(card, "rotation-confirm-switch").click();

        assertThat(pages).hasSize(2);
        assertThat(Optional.ofNullable(ServerSideUi.byId(pages.get(1), "rotation-switch-error"))
                .map(c -> c.getElement().getText()))
                .contains("The old key was already switched off.");
        assertThat(ServerSideUi.byId(page(), "rotation-switch-error")).as("a later rendering of the page").isNull();
    }

    /** A page rendered again without a card (its access gone) leaves no refusal for a card made later. */
    @Test
    void aRefusalIsNotKeptWhenThePageMakesNoCard() throws Exception {
        Mockito.when(rotations.overview(APP)).thenReturn(overview(Rotations.Status.OVERLAP, true));
        Mockito.doThrow(new Rotations.Refused("The old key was already switched off.")).when(rotations)
                .confirmSwitched(1);
        RotationPanel card = new RotationPanel(rotations, APP, () -> {
        });
        ui.ui().add(card);

        button(card, "rotation-confirm-switch").click();

        assertThat(ServerSideUi.byId(page(), "rotation-switch-error")).isNull();
    }

    /** Renders the page's card as the application page does; its pageChanged renders another. */
    private RotationPanel page() {
        RotationPanel card = new RotationPanel(rotations, APP, this::page);
        pages.add(card);
        ui.ui().add(card);
        return card;
    }

    private static Rotations.Overview overview(Rotations.Status status, boolean mayConfirm) {
        Rotations.Rotation r = new Rotations.Rotation(1, APP, Rotations.Trigger.MANUAL, "Quarterly.", "alice", status,
                10L, 11L, null, Instant.now(), Instant.now(), Instant.now(), null, null, null, null, null);
        return new Rotations.Overview(List.of(r), false, mayConfirm, null, "ABSKnew", "ABSKold", false, false);
    }

    private static String status(RotationPanel card) {
        return ServerSideUi.byId(card, "rotation-status").getElement().getAttribute("data-status");
    }

    private static Button button(RotationPanel card, String id) {
        return (Button) ServerSideUi.byId(card, id);
    }
}
