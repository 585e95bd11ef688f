package com.bedrockportal.monitoring.ui;

import java.math.BigDecimal;
import java.util.Optional;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationPageSection;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.monitoring.UsageCollection;
import com.bedrockportal.monitoring.UsageFigures;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;

import org.springframework.stereotype.Component;

/**
 * The application page's "Usage and spend" card, from the figures the usage collection keeps: when the keys were last
 * used, the Bedrock calls of the window (refused ones and those from outside the ranges), and this month's spend
 * against the budget with AWS's forecast. Security and admins can refresh them at once.
 */
public class UsagePanel extends Div {

    private static final long serialVersionUID = 1L;

    /** Adds the card to the application page. */
    @Component
    static class Section implements ApplicationPageSection {
        private final UsageFigures figures;
        private final UsageCollection collection;
        private final CurrentUser currentUser;

        Section(UsageFigures figures, UsageCollection collection, CurrentUser currentUser) {
            this.figures = figures;
            this.collection = collection;
            this.currentUser = currentUser;
        }

        @Override
        public com.vaadin.flow.component.Component section(Application application, Runnable pageChanged) {
            return new UsagePanel(figures, collection, currentUser, application.id());
        }

        @Override
        public int order() {
            return 5;
        }
    }

    private final transient UsageFigures figures;
    private final transient UsageCollection collection;
    private final transient CurrentUser currentUser;
    private final long applicationId;

    UsagePanel(UsageFigures figures, UsageCollection collection, CurrentUser currentUser, long applicationId) {
        this.figures = figures;
        this.collection = collection;
        this.currentUser = currentUser;
        this.applicationId = applicationId;
        addClassName("portal-card");
        setId("usage-card");
        setWidthFull();
        render();
    }

    private void render() {
        removeAll();
        add(new H3(getTranslation("usage.title")));
        Optional<UsageFigures.Summary> summary = figures.summary(applicationId);
        Optional<UsageFigures.MonthSpend> month = figures.spendThisMonth(applicationId);
        long days = collection.window().toDays();
        add(line("usage-last-used", getTranslation("usage.lastUsed"), summary.map(UsageFigures.Summary::lastUsedAt)
                .map(UserTime::format).orElse(getTranslation(summary.isPresent() ? "usage.never" : "usage.notYet",
                        days))));
        add(line("usage-calls", getTranslation("usage.calls", days), summary.map(s -> calls(s, days))
                .orElse(getTranslation("usage.notYet", days))));
        add(line("usage-spend", getTranslation("usage.spend"), month.map(this::spend)
                .orElse(getTranslation("usage.noSpend"))));
        summary.map(UsageFigures.Summary::refreshedAt).ifPresent(at -> {
            Paragraph refreshed = new Paragraph(getTranslation("usage.refreshed", UserTime.format(at),
                    collection.interval().toMinutes()));
            refreshed.setId("usage-refreshed");
            refreshed.addClassName("portal-muted");
            add(refreshed);
        });
        String error = summary.map(UsageFigures.Summary::error).or(() -> month.map(UsageFigures.MonthSpend::error))
                .orElse(null);
        if (error != null) {
            Paragraph why = new Paragraph(getTranslation("usage.error", error));
            why.setId("usage-error");
            why.getStyle().set("color", "var(--lumo-error-text-color)");
            add(why);
        }
        if (currentUser.has(PortalRole.SECURITY) || currentUser.has(PortalRole.ADMIN)) {
            Button refresh = new Button(getTranslation("usage.refresh"), e -> {
                collection.collectNow(currentUser.usernameOrAnonymous());
                render();
            });
            refresh.setId("usage-refresh");
            refresh.setDisableOnClick(true);
            add(refresh);
        }
    }

    private String calls(UsageFigures.Summary s, long days) {
        int denied = 0;
        int outside = 0;
        for (UsageFigures.Day d : figures.usageDays(applicationId, java.time.LocalDate.ofInstant(s.windowFrom(),
                java.time.ZoneOffset.UTC))) {
            denied += d.accessDenied();
            outside += d.outsideRanges();
        }
        return getTranslation("usage.callsValue", s.callsInWindow(), denied, outside);
    }

    private String spend(UsageFigures.MonthSpend m) {
        if (m.actualUsd() == null) {
            return getTranslation("usage.noSpend");
        }
        String budget = m.budgetUsd() == null ? getTranslation("usage.noBudget") : money(m.budgetUsd());
        String text = getTranslation("usage.spendValue", money(m.actualUsd()), budget);
        if (m.forecastUsd() != null) {
            text += " " + getTranslation("usage.forecast", money(m.forecastUsd()));
        }
        return text;
    }

    static String money(BigDecimal amount) {
        return UsagePanelFormat.money(amount);
    }

    private static Div line(String id, String label, String value) {
        Div line = new Div();
        Span name = new Span(label + ": ");
        name.addClassName("portal-muted");
        Span shown = new Span(value);
        shown.setId(id);
        line.add(name, shown);
        return line;
    }
}
