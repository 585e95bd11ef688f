package com.bedrockportal.layout;

import java.net.SocketException;
import java.util.List;

import com.vaadin.flow.router.InvalidLocationException;
import com.vaadin.flow.server.ErrorEvent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How an unplanned UI failure is logged (the page's notification is covered by BusinessUnitsE2E): a refusal of the
 * portal's method security at WARN, anything else at ERROR, each with the throwable and a reference; a browser that
 * went away or asked for an invalid location is no failure of ours.
 */
class UnexpectedErrorsTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(UnexpectedErrors.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final UnexpectedErrors errors = new UnexpectedErrors();

    @BeforeEach
    void listen() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(log);
    }

    private List<ILoggingEvent> at(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).toList();
    }

    @Test
    void aRoleRefusalIsLoggedAsARefusalWithItsReferenceAndCause() {
        errors.handle(new ErrorEvent(new AccessDeniedException("Access Denied")));
        assertThat(at(Level.WARN)).singleElement().satisfies(e -> {
            assertThat(e.getFormattedMessage()).matches("Refused in the UI \\(reference [0-9a-f]{8}\\)");
            assertThat(e.getThrowableProxy().getClassName()).isEqualTo(AccessDeniedException.class.getName());
        });
        assertThat(at(Level.ERROR)).isEmpty();
    }

    @Test
    void aRefusalDeepInsideAnotherFailureIsAnUnexpectedFailure() {
        errors.handle(new ErrorEvent(new IllegalStateException("engine",
                new RuntimeException("wrapped", new AccessDeniedException("engine only")))));
        assertThat(at(Level.ERROR)).singleElement().satisfies(e -> {
            assertThat(e.getFormattedMessage()).matches("Unexpected failure in the UI \\(reference [0-9a-f]{8}\\)");
            assertThat(e.getThrowableProxy().getClassName()).isEqualTo(IllegalStateException.class.getName());
        });
        assertThat(at(Level.WARN)).isEmpty();
    }

    @Test
    void aBrowserThatWentAwayOrAskedForAnInvalidLocationIsNoFailureOfOurs() {
        errors.handle(new ErrorEvent(new RuntimeException(new SocketException("Broken pipe"))));
        assertThat(at(Level.ERROR)).isEmpty();
        assertThat(at(Level.WARN)).isEmpty();
        errors.handle(new ErrorEvent(new InvalidLocationException("bad")));
        assertThat(at(Level.ERROR)).isEmpty();
        assertThat(at(Level.WARN)).singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("invalid location"));
    }

    /**
     * A message the browser sent again or out of order (seen in CI under load: "Expected client id: 2, got 1") is
     * Vaadin's to resynchronise: a warning without a stack, no "that did not work" for the user.
     */
    @Test
    void aMessageOutOfSequenceIsResynchronisedNotReportedAsAFailure() {
        errors.handle(new ErrorEvent(new UnsupportedOperationException("Unexpected message id from the client. "
                + "Expected client id: 2, got 1. more details logged on DEBUG level.")));
        assertThat(at(Level.ERROR)).isEmpty();
        assertThat(at(Level.WARN)).singleElement().satisfies(e -> {
            assertThat(e.getFormattedMessage()).contains("out of sequence").contains("Expected client id: 2, got 1");
            assertThat(e.getThrowableProxy()).isNull();
        });
        // Any other unsupported operation is a failure of ours.
        errors.handle(new ErrorEvent(new UnsupportedOperationException("not implemented")));
        assertThat(at(Level.ERROR)).hasSize(1);
    }

    @Test
    void referencesDiffer() {
        assertThat(UnexpectedErrors.reference()).matches("[0-9a-f]{8}").isNotEqualTo(UnexpectedErrors.reference());
    }
}
