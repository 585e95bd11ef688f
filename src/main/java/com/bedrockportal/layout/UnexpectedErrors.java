package com.bedrockportal.layout;

import java.security.SecureRandom;
import java.util.HexFormat;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.router.InvalidLocationException;
import com.vaadin.flow.server.ErrorEvent;
import com.vaadin.flow.server.ErrorHandlerUtil;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;

/**
 * A failure nobody planned for in a click or an edit (a refusal the page did not expect, a unit deleted by another
 * admin a moment before, the database gone): the person sees that it did not work and a reference to give the
 * platform team, and the log holds the failure under the same reference. Vaadin's own handler would log it and show
 * nothing, so the click would seem to do nothing. The message names no detail of the failure (which could name a
 * table, a user or an AWS answer); the log line goes through the portal's secret masking like every other.
 */
@Component
class UnexpectedErrors implements VaadinServiceInitListener {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedErrors.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int SHOWN_FOR_MS = 15_000;
    /** Causes looked at, at most (a chain could loop). */
    private static final int MAX_CAUSES = 20;

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addSessionInitListener(init -> init.getSession().setErrorHandler(this::handle));
    }

    void handle(ErrorEvent event) {
        Throwable failure = event.getThrowable();
        if (clientWentAway(failure)) {
            LOG.debug("The browser closed the connection: {}", failure.getClass().getName());
            return;
        }
        if (outOfSync(failure)) {
            // The browser sent a message again or out of order (a retried request on a slow connection); Vaadin
            // resynchronises the page by itself. Nothing failed that the user did: nothing to show.
            LOG.warn("A page's message arrived out of sequence; Vaadin resynchronises it: {}", failure.getMessage());
            return;
        }
        if (failure instanceof InvalidLocationException) {
            LOG.warn("A browser asked for an invalid location: {}", failure.getClass().getName());
            return; // as Vaadin's own handler: the client's doing, nothing to show
        }
        if (ErrorHandlerUtil.handleErrorByRedirectingToErrorView(failure)) {
            return; // Vaadin's not-found and access-denied views, as its own handler does
        }
        // A role refusal of the portal's method security: the failure itself or what Vaadin wrapped. Deeper in the
        // chain it is some other failure that happens to carry one, reported as unexpected.
        boolean refused = failure instanceof AccessDeniedException
                || failure.getCause() instanceof AccessDeniedException;
        String reference = reference();
        if (refused) {
            LOG.warn("Refused in the UI (reference {})", reference, failure);
        } else {
            LOG.error("Unexpected failure in the UI (reference {})", reference, failure);
        }
        UI ui = UI.getCurrent();
        if (ui == null) {
            return;
        }
        Notification shown = Notification.show(ui.getTranslation(refused ? "error.refused" : "error.unexpected",
                reference), SHOWN_FOR_MS, Notification.Position.MIDDLE);
        shown.addThemeVariants(NotificationVariant.LUMO_ERROR);
        shown.setId("unexpected-error");
        shown.getElement().setAttribute("data-reference", reference);
    }

    /** Eight random hex digits: enough to find the line, nothing about the failure. */
    static String reference() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Vaadin's refusal of a message whose id is not the next one it expects (flow's "resynchronisation" cases). */
    static boolean outOfSync(Throwable failure) {
        return failure instanceof UnsupportedOperationException && failure.getMessage() != null
                && failure.getMessage().startsWith("Unexpected message id from the client");
    }

    private static boolean clientWentAway(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
            String name = t.getClass().getName();
            if (t instanceof java.io.EOFException || t instanceof java.net.SocketException
                    || t instanceof java.net.SocketTimeoutException || name.endsWith("ClientAbortException")
                    || name.endsWith("EofException")) {
                return true;
            }
        }
        return false;
    }
}
