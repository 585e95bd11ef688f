package com.bedrockportal.lifecycle.ui;

import java.util.Optional;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationPageSection;
import com.bedrockportal.lifecycle.Rotations;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.ui.FormErrors;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.shared.Registration;

import org.springframework.stereotype.Component;

/**
 * The application page's "Key rotation" card: "Rotate key" (owner, unit managers, security; a reason), the running
 * rotation's stage with its next step for the owner (reveal the new key, confirm the switch), and the last
 * rotations. While a rotation is running, a light poll shows each step as it completes.
 */
public class RotationPanel extends Div {

    private static final long serialVersionUID = 1L;

    /** Adds the card to the application page. */
    @Component
    static class Section implements ApplicationPageSection {
        private final Rotations rotations;

        Section(Rotations rotations) {
            this.rotations = rotations;
        }

        @Override
        public com.vaadin.flow.component.Component section(Application application, Runnable pageChanged) {
            if (application.shortTermOnly()) {
                // Its keys live 12 hours and are never stored: there is nothing to rotate.
                return null;
            }
            return new RotationPanel(rotations, application.id(), pageChanged);
        }

        @Override
        public int order() {
            return 10;
        }
    }

    private final transient Rotations rotations;
    private final long applicationId;
    private final transient Runnable pageChanged;
    private transient Rotations.Overview shown;
    private transient Registration poll;

    RotationPanel(Rotations rotations, long applicationId, Runnable pageChanged) {
        this.rotations = rotations;
        this.applicationId = applicationId;
        this.pageChanged = pageChanged;
        addClassName("portal-card");
        setId("rotation-card");
        setWidthFull();
        render(carriedRefusal());
    }

    /** A refusal of this card's last action, carried over the page's rendering after it ({@link #afterAction}). */
    private record Refusal(long applicationId, String text) implements java.io.Serializable {
    }

    /** Only while {@link #afterAction} renders the page, which takes it away afterwards. */
    private String carriedRefusal() {
        UI ui = UI.getCurrent();
        Refusal carried = ui == null ? null : ComponentUtil.getData(ui, Refusal.class);
        return carried != null && carried.applicationId() == applicationId ? carried.text() : null;
    }

    /**
     * After an action the whole page is rendered again, the rotation's state read before the keys, and the refusal
     * if any shown in the new card. Rendering the card alone showed the rotation as it was after the action, and the
     * poll compares with that: a step that had completed meanwhile (the new key made, a switch cut over) was then
     * never a change to the poll, and the page's keys stayed as they were before it (RotationE2E in CI: the card said
     * the new key waits for its reveal, the keys listed no key pending reveal).
     */
    private void afterAction(String refusal) {
        UI ui = UI.getCurrent();
        if (refusal != null && ui != null) {
            ComponentUtil.setData(ui, Refusal.class, new Refusal(applicationId, refusal));
        }
        pageChanged.run();
        if (ui != null) {
            ComponentUtil.setData(ui, Refusal.class, null); // also when the page made no card (its access gone)
        }
    }

    /** Builds the card afresh; {@code refusal}, if any, is shown under the rotation's state. */
    private void render(String refusal) {
        removeAll();
        shown = rotations.overview(applicationId);
        add(new H3(getTranslation("rotation.title")));
        Optional<Rotations.Rotation> current = shown.rotations().stream().filter(r -> r.status().open())
                .findFirst();
        Paragraph state = new Paragraph(current.map(this::describe).orElse(getTranslation(shown.nextToSecretsManager()
                ? "rotation.noneDelivered" : "rotation.none")));
        state.setId("rotation-status");
        state.getElement().setAttribute("data-status", current.map(r -> r.status().name()).orElse("NONE"));
        add(state);
        if (refusal != null) { // where the button that was refused was
            Span error = FormErrors.line("rotation-switch-error");
            error.setText(refusal);
            add(error);
        }
        HorizontalLayout actions = new HorizontalLayout();
        if (shown.revealPath() != null) {
            Anchor reveal = new Anchor("/" + shown.revealPath(), getTranslation("rotation.reveal"));
            reveal.setId("rotation-reveal");
            // A full page load: the reveal page may send the user to log in again first.
            reveal.setRouterIgnore(true);
            actions.add(reveal);
        }
        if (shown.mayConfirm()) {
            Button confirm = new Button(getTranslation("rotation.switched"), e -> confirmSwitch(current.get()));
            confirm.setId("rotation-confirm-switch");
            confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            actions.add(confirm);
        }
        if (shown.mayRotate()) {
            Button rotate = new Button(getTranslation("rotation.rotate"), e -> openDialog());
            rotate.setId("rotation-start");
            actions.add(rotate);
        }
        add(actions);
        // The steps of the running rotation (or the last one), as the request page shows a request's.
        Optional<Rotations.Rotation> latest = current.or(() -> shown.rotations().stream().findFirst());
        latest.ifPresent(r -> {
            com.vaadin.flow.component.html.UnorderedList steps = new com.vaadin.flow.component.html.UnorderedList();
            steps.setId("rotation-timeline");
            for (Rotations.Step step : rotations.timeline(r.id())) {
                steps.add(new com.vaadin.flow.component.html.ListItem(UserTime.format(step.at()) + " · "
                        + step.actor() + " · " + step.what()));
            }
            add(steps);
        });
        if (!shown.rotations().isEmpty()) {
            Grid<Rotations.Rotation> history = new Grid<>();
            history.setId("rotation-history");
            history.addColumn(r -> UserTime.format(r.startedAt())).setHeader(getTranslation("rotation.col.started"))
                    .setAutoWidth(true);
            history.addColumn(r -> getTranslation("rotation.trigger." + r.trigger().name()))
                    .setHeader(getTranslation("rotation.col.trigger")).setAutoWidth(true);
            history.addColumn(Rotations.Rotation::requestedBy).setHeader(getTranslation("rotation.col.by"))
                    .setAutoWidth(true);
            history.addColumn(r -> getTranslation("rotation.status." + r.status().name()))
                    .setHeader(getTranslation("rotation.col.status")).setAutoWidth(true);
            history.addColumn(r -> r.failure() != null ? r.failure() : r.reason())
                    .setHeader(getTranslation("rotation.col.reason")).setFlexGrow(1);
            history.setItems(shown.rotations());
            history.setAllRowsVisible(true);
            add(history);
        }
        getUI().ifPresent(this::keepPolling);
    }

    /**
     * Polls while a rotation runs. Set just before the response, after every other component of the round trip
     * (the page's decommission card sets the same UI-wide interval when it is re-created).
     */
    private void keepPolling(UI ui) {
        ui.beforeClientResponse(this, context -> {
            if (shown.rotations().stream().anyMatch(r -> r.status().open())) {
                ui.setPollInterval(1500);
            }
        });
    }

    private String describe(Rotations.Rotation r) {
        String fresh = shown.newKeyPrefix() == null ? "…" : shown.newKeyPrefix() + "…";
        String old = shown.oldKeyPrefix() == null ? "…" : shown.oldKeyPrefix() + "…";
        return switch (r.status()) {
            case STARTED -> getTranslation("rotation.state.STARTED", r.requestedBy());
            case KEY_CREATED -> getTranslation("rotation.state.KEY_CREATED", fresh, old);
            case OVERLAP -> getTranslation(r.cutOverBy() != null ? "rotation.state.OVERLAP_CONFIRMED"
                    : shown.delivered() ? "rotation.state.OVERLAP_DELIVERED" : "rotation.state.OVERLAP", fresh, old,
                    UserTime.format(r.overlapEndsAt()));
            case CUT_OVER -> getTranslation("rotation.state.CUT_OVER", old, fresh, r.cutOverWhy());
            default -> getTranslation("rotation.status." + r.status().name());
        };
    }

    /** Confirms the switch; a refusal is shown in the page's new card, which shows the rotation as it is now. */
    private void confirmSwitch(Rotations.Rotation r) {
        String refused = null;
        try {
            rotations.confirmSwitched(r.id());
        } catch (Rotations.Refused e) {
            refused = e.getMessage();
        }
        afterAction(refused);
    }

    private void openDialog() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(getTranslation("rotation.dialog.title"));
        TextArea reason = new TextArea(getTranslation("keyaction.reason"));
        reason.setId("rotation-reason");
        reason.setHelperText(getTranslation("rotation.dialog.help"));
        reason.setMaxLength(Rotations.MAX_REASON);
        reason.setWidthFull();
        Span refused = FormErrors.line("rotation-refused");
        dialog.add(new Paragraph(getTranslation(shown.nextToSecretsManager() ? "rotation.dialog.textDelivered"
                : "rotation.dialog.text")), reason, refused);
        Button confirm = new Button(getTranslation("keyaction.confirm"), e -> {
            refused.setText("");
            try {
                rotations.rotate(applicationId, reason.getValue());
                dialog.close();
                afterAction(null);
            } catch (FieldErrors errors) {
                FormErrors.mark(reason, errors.errors().getOrDefault("reason",
                        errors.errors().values().iterator().next()));
            } catch (Rotations.Refused no) {
                refused.setText(no.getMessage());
            }
        });
        confirm.setId("rotation-dialog-confirm");
        confirm.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(new Button(getTranslation("keyaction.cancel"), e -> dialog.close()), confirm);
        dialog.open();
    }

    @Override
    protected void onAttach(AttachEvent event) {
        super.onAttach(event);
        UI ui = event.getUI();
        poll = ui.addPollListener(e -> {
            Rotations.Overview now = rotations.overview(applicationId);
            if (!fingerprint(now).equals(fingerprint(shown))) {
                // The keys' statuses change with the rotation: the whole page follows.
                pageChanged.run();
            }
        });
        keepPolling(ui);
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (poll != null) {
            poll.remove();
        }
        super.onDetach(event);
    }

    private static String fingerprint(Rotations.Overview o) {
        return o.rotations().stream().map(r -> r.id() + ":" + r.status() + ":" + r.cutOverBy())
                .reduce("", String::concat) + "|" + o.revealPath() + "|" + o.mayConfirm();
    }
}
