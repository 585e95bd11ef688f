package com.bedrockportal.testsupport;

import java.util.List;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link PageStateOnFailure}: a failing browser test's message says what its open pages showed. A page of known
 * content (no portal needed): a field's message, one hidden, a notification, Vaadin waiting, and a text that looks
 * like a Bedrock API key, which the log's masking hides.
 */
class PageStateOnFailureE2E {

    private final BrowserContext context = Browsers.context();

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void aFailureSaysWhatTheOpenPagesShowed() {
        Page page = context.newPage();
        String key = IamCredentialStub.newKey();
        page.setContent("""
                <div><span slot="error-message">Give a reason.</span></div>
                <div style="display:none"><span slot="error-message">Hidden, not shown</span></div>
                <vaadin-notification-card>Not saved: the unit changed meanwhile</vaadin-notification-card>
                <vaadin-connection-indicator loading></vaadin-connection-indicator>
                <span slot="error-message">%s</span>
                """.formatted(key));
        Page closed = context.newPage();
        closed.close();
        AssertionError original = new AssertionError("Locator expected to be visible");

        Throwable thrown = catchThrowable(() -> new PageStateOnFailure().handleTestExecutionException(null,
                original));

        assertThat(thrown).isInstanceOf(AssertionError.class).hasCause(original);
        assertThat(thrown.getStackTrace()).isEqualTo(original.getStackTrace());
        String message = thrown.getMessage();
        assertThat(message).startsWith("Locator expected to be visible\nOpen pages when the test failed:")
                .contains("page 1: about:blank; field messages \"Give a reason.\"")
                .contains("notifications \"Not saved: the unit changed meanwhile\"").contains("Vaadin \"loading\"")
                .doesNotContain("Hidden, not shown").doesNotContain(key.substring(0, 24));
        assertThat(message.lines().filter(l -> l.startsWith("  page ")).toList()).hasSize(1);
    }

    @Test
    void aTestSkippedByAnAssumptionStaysSkipped() {
        context.newPage().setContent("<span slot=\"error-message\">Give a reason.</span>");
        TestAbortedException skipped = new TestAbortedException("Assumption failed");

        Throwable thrown = catchThrowable(() -> new PageStateOnFailure().handleTestExecutionException(null,
                skipped));

        assertThat(thrown).isSameAs(skipped);
    }

    @Test
    void withoutAnOpenPageTheFailureIsThrownAsItIs() {
        AssertionError original = new AssertionError("no page");

        Throwable thrown = catchThrowable(() -> new PageStateOnFailure().handleTestExecutionException(null,
                original));

        assertThat(thrown).isSameAs(original);
        assertThat(PageStateOnFailure.describe(List.of())).isEqualTo("Open pages when the test failed:");
    }
}
