package com.bedrockportal.request;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

import com.bedrockportal.provisioning.PolicyValidator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.i18n.LocaleContextHolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** Access Analyzer's part of the approvers' lint: findings when it answers, one SKIPPED line saying why otherwise. */
class RequestChecksAccessAnalyzerTest {

    @SuppressWarnings("unchecked")
    final ObjectProvider<PolicyValidator> provider = mock(ObjectProvider.class);
    final PolicyValidator validator = mock(PolicyValidator.class);

    @BeforeEach
    void english() {
        LocaleContextHolder.setLocale(Locale.ENGLISH);
    }

    @AfterEach
    void resetLocale() {
        LocaleContextHolder.resetLocaleContext();
    }

    RequestChecks checks(boolean enabled) {
        return new RequestChecks(null, null, null, new RiskProperties(90, BigDecimal.TEN, enabled), null, null,
                PolicyLintTest.TEXTS, provider);
    }

    @Test
    void findingsBecomeLintLinesWithTheirLink() {
        when(provider.getIfAvailable()).thenReturn(validator);
        when(validator.validate("{}")).thenReturn(new PolicyValidator.Result(PolicyValidator.Status.CHECKED, List.of(
                new PolicyValidator.Finding("SECURITY_WARNING", "MISSING_CONDITION", "Add a condition.", "https://l"))));
        List<LintFinding> lines = checks(true).accessAnalyzer("{}");
        assertThat(lines).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(LintFinding.Severity.WARNING);
            assertThat(f.text()).isEqualTo("IAM Access Analyzer (SECURITY_WARNING, MISSING_CONDITION): Add a condition.");
            assertThat(f.fix()).isEqualTo("See https://l");
        });
    }

    @Test
    void deniedSandboxAndOffAreSaidAsSkipped() {
        when(provider.getIfAvailable()).thenReturn(validator);
        when(validator.validate("{}")).thenReturn(new PolicyValidator.Result(PolicyValidator.Status.DENIED, List.of()));
        assertThat(checks(true).accessAnalyzer("{}")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(LintFinding.Severity.SKIPPED);
            assertThat(f.text()).endsWith("the portal may not call access-analyzer:ValidatePolicy.");
        });
        when(provider.getIfAvailable()).thenReturn(null);
        assertThat(checks(true).accessAnalyzer("{}").get(0).text()).endsWith("the sandbox has no Access Analyzer.");
        when(provider.getIfAvailable()).thenReturn(validator);
        PolicyValidator unused = mock(PolicyValidator.class);
        when(provider.getIfAvailable()).thenReturn(unused);
        assertThat(checks(false).accessAnalyzer("{}").get(0).text()).contains("turned off");
        verifyNoInteractions(unused);
    }
}
