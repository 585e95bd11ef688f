package com.bedrockportal.lifecycle.ui;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.lifecycle.CompromiseCase;
import com.bedrockportal.lifecycle.CompromiseExport;
import com.bedrockportal.lifecycle.Compromises;
import com.bedrockportal.provisioning.SpendReports;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.ui.FormErrors;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.shared.Registration;

import jakarta.annotation.security.PermitAll;

/**
 * One compromise case, for security, the key's owner and the unit's managers: what happened when (the seconds from
 * report to Inactive), the evidence snapshot, security's triage form, the owner's report form, CSV and JSON export.
 * While the portal waits for AWS the page looks again every second.
 */
@Route(value = "compromise/:caseId([0-9]{1,18})", layout = MainLayout.class)
@PageTitle("Compromise case · Bedrock Access Portal")
@PermitAll
public class CompromiseCaseView extends VerticalLayout implements BeforeEnterObserver {

    private final transient Compromises compromises;
    private long caseId;
    private boolean waiting;
    /** What the page shows now. */
    private Optional<Compromises.CaseView> shown = Optional.empty();
    private Registration poll;

    public CompromiseCaseView(Compromises compromises) {
        this.compromises = compromises;
        addClassName("portal-page");
        setId("compromise-case");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        caseId = event.getRouteParameters().get("caseId").map(Long::parseLong).orElse(-1L);
        render();
    }

    @Override
    protected void onAttach(AttachEvent event) {
        super.onAttach(event);
        UI ui = event.getUI();
        poll = ui.addPollListener(e -> {
            if (waiting) {
                // Rebuilt only when the case changed: a rebuild replaces the triage and report fields, and with them
                // what the person is typing.
                Optional<Compromises.CaseView> now = compromises.view(caseId);
                if (!now.equals(shown)) {
                    render(now);
                }
            }
        });
        ui.setPollInterval(waiting ? 1000 : -1);
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (poll != null) {
            poll.remove();
        }
        event.getUI().setPollInterval(-1);
        super.onDetach(event);
    }

    private void render() {
        render(compromises.view(caseId));
    }

    private void render(Optional<Compromises.CaseView> found) {
        shown = found;
        removeAll();
        if (found.isEmpty()) {
            Paragraph none = new Paragraph(getTranslation("compromise.page.none"));
            none.setId("compromise-none");
            add(none);
            waiting = false;
            return;
        }
        Compromises.CaseView v = found.get();
        CompromiseCase c = v.c();
        waiting = c.status() == CompromiseCase.Status.DISABLING || c.evidenceAt() == null
                || c.status() == CompromiseCase.Status.REENABLING || c.status() == CompromiseCase.Status.ROTATING
                || c.status() == CompromiseCase.Status.REPORT_DUE && c.reportAt() != null;
        getUI().ifPresent(ui -> ui.setPollInterval(waiting ? 1000 : -1));

        Span status = new Span(getTranslation("compromise.status." + c.status().name()));
        status.setId("compromise-status");
        status.getElement().setAttribute("data-status", c.status().name());
        status.getElement().getThemeList().add(c.status().open() ? "badge error" : "badge success");
        add(new H2(getTranslation("compromise.page.title", c.id())), status, details(v), timeline(c), evidence(v));
        add(triage(v), rotation(c), report(v), exports(c));
        add(new Anchor("compromise", getTranslation("compromise.page.back")));
    }

    private Div details(Compromises.CaseView v) {
        CompromiseCase c = v.c();
        FormLayout form = new FormLayout();
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("600px", 2));
        Anchor key = new Anchor("keys/" + c.keyId(), c.keyPrefix() + "… · " + c.iamUser());
        key.setId("compromise-key");
        form.addFormItem(key, getTranslation("compromise.page.key"));
        form.addFormItem(new Span(v.unit()), getTranslation("compromise.page.unit"));
        form.addFormItem(new Span(v.application() == null ? "" : v.application()),
                getTranslation("compromise.page.application"));
        form.addFormItem(new Span(v.owner() == null ? "" : v.owner()), getTranslation("compromise.page.owner"));
        form.addFormItem(new Span(getTranslation("compromise.source." + c.source().name())),
                getTranslation("compromise.page.source"));
        form.addFormItem(new Span(UserTime.format(c.reportedAt()) + " · " + c.reportedBy()),
                getTranslation("compromise.page.reported"));
        Span reason = new Span(c.reason());
        reason.setId("compromise-reason");
        form.addFormItem(reason, getTranslation("compromise.page.reason"));
        Span disabled = new Span(c.disabledAt() == null
                ? getTranslation("compromise.page.disabling", c.disableAttempts())
                : getTranslation("compromise.page.disabledAfter", UserTime.format(c.disabledAt()),
                        String.format(Locale.ROOT, "%.1f", c.timeToInactive().toMillis() / 1000.0)));
        disabled.setId("compromise-disabled");
        disabled.getElement().setAttribute("data-disabled", Boolean.toString(c.disabledAt() != null));
        form.addFormItem(disabled, getTranslation("compromise.page.disabled"));
        if (c.lastError() != null && c.status().open()) {
            Span error = new Span(c.lastError());
            error.setId("compromise-last-error");
            form.addFormItem(error, getTranslation("compromise.page.lastError"));
        }
        Div card = new Div(form);
        card.addClassName("portal-card");
        return card;
    }

    private record Entry(Instant at, String text) {
    }

    private VerticalLayout timeline(CompromiseCase c) {
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(c.reportedAt(), getTranslation("compromise.timeline.reported", c.reportedBy())));
        add(entries, c.disabledAt(), getTranslation("compromise.timeline.disabled"));
        add(entries, c.notifiedAt(), getTranslation("compromise.timeline.notified"));
        add(entries, c.evidenceAt(), getTranslation("compromise.timeline.evidence"));
        if (c.triageDecision() != null) {
            add(entries, c.triageAt(), getTranslation("compromise.timeline.triaged",
                    getTranslation("compromise.triage." + c.triageDecision().name()), c.triageBy()));
        }
        add(entries, c.reenabledAt(), getTranslation("compromise.timeline.reenabled"));
        add(entries, c.oldKeyDeletedAt(), getTranslation("compromise.timeline.deleted"));
        add(entries, c.escalatedAt(), getTranslation("compromise.timeline.escalated"));
        if (c.reportAt() != null) {
            add(entries, c.reportAt(), getTranslation("compromise.timeline.report", c.reportBy()));
        }
        add(entries, c.closedAt(), getTranslation("compromise.timeline.closed"));
        entries.sort(Comparator.comparing(Entry::at));
        UnorderedList list = new UnorderedList();
        list.setId("compromise-timeline");
        entries.forEach(e -> list.add(new ListItem(UserTime.format(e.at()) + " · " + e.text())));
        VerticalLayout box = new VerticalLayout(new H3(getTranslation("compromise.page.timeline")), list);
        // Flush with the page's other sections (evidence, triage, report), as they are.
        box.setPadding(false);
        return box;
    }

    private static void add(List<Entry> entries, Instant at, String text) {
        if (at != null) {
            entries.add(new Entry(at, text));
        }
    }

    private VerticalLayout evidence(Compromises.CaseView v) {
        CompromiseCase c = v.c();
        VerticalLayout box = new VerticalLayout(new H3(getTranslation("compromise.page.evidence")));
        box.setId("compromise-evidence");
        box.setPadding(false);
        if (c.evidenceAt() == null) {
            Paragraph pending = new Paragraph(getTranslation("compromise.page.evidencePending"));
            pending.setId("compromise-evidence-pending");
            box.add(pending);
            return box;
        }
        box.add(new Paragraph(getTranslation("compromise.page.trail")));
        if (c.trailNote() != null) {
            Paragraph note = new Paragraph(getTranslation("compromise.page.trailNote", c.trailNote()));
            note.setId("compromise-trail-note");
            box.add(note);
        } else if (v.events().isEmpty()) {
            box.add(new Paragraph(getTranslation("compromise.page.trailNone")));
        } else {
            Grid<Compromises.TrailRow> events = new Grid<>();
            events.setId("compromise-trail");
            events.addColumn(e -> UserTime.format(e.time())).setHeader(getTranslation("compromise.page.col.time"))
                    .setAutoWidth(true);
            events.addColumn(Compromises.TrailRow::event).setHeader(getTranslation("compromise.page.col.event"))
                    .setAutoWidth(true);
            events.addColumn(Compromises.TrailRow::sourceIp).setHeader(getTranslation("compromise.page.col.ip"))
                    .setAutoWidth(true);
            events.addColumn(Compromises.TrailRow::userAgent)
                    .setHeader(getTranslation("compromise.page.col.agent"));
            events.addColumn(Compromises.TrailRow::region).setHeader(getTranslation("compromise.page.col.region"))
                    .setAutoWidth(true);
            events.addColumn(Compromises.TrailRow::errorCode)
                    .setHeader(getTranslation("compromise.page.col.error")).setAutoWidth(true);
            events.setItems(v.events());
            events.setAllRowsVisible(v.events().size() <= 20);
            box.add(events);
            if (c.trailTruncated()) {
                box.add(new Paragraph(getTranslation("compromise.page.trailTruncated")));
            }
        }
        box.add(new Paragraph(getTranslation("compromise.page.spend")));
        if (c.spendNote() != null) {
            Paragraph note = new Paragraph(getTranslation("compromise.page.spendNote", c.spendNote()));
            note.setId("compromise-spend-note");
            box.add(note);
        } else {
            Paragraph summary = new Paragraph(getTranslation("compromise.page.spendLast", v.spendDays(),
                    v.last30().toPlainString(), v.previous30().toPlainString()));
            summary.setId("compromise-spend");
            Grid<SpendReports.DailySpend> spend = new Grid<>();
            spend.setId("compromise-spend-days");
            spend.addColumn(d -> d.day().toString()).setHeader(getTranslation("compromise.page.col.day"));
            spend.addColumn(d -> d.amountUsd().toPlainString()).setHeader(getTranslation("compromise.page.col.amount"));
            spend.setItems(v.spend());
            spend.setHeight("240px");
            box.add(summary, spend);
        }
        return box;
    }

    private VerticalLayout triage(Compromises.CaseView v) {
        CompromiseCase c = v.c();
        VerticalLayout box = new VerticalLayout(new H3(getTranslation("compromise.page.triage")));
        box.setPadding(false);
        if (c.triageDecision() != null) {
            Paragraph done = new Paragraph(getTranslation("compromise.page.triaged",
                    getTranslation("compromise.triage." + c.triageDecision().name()), c.triageBy(),
                    UserTime.format(c.triageAt()), c.triageReason()));
            done.setId("compromise-triaged");
            box.add(done);
            return box;
        }
        if (!v.mayTriage()) {
            return box;
        }
        TextArea reason = new TextArea(getTranslation("compromise.page.triageReason"));
        reason.setId("compromise-triage-reason");
        reason.setMaxLength(Compromises.MAX_REASON);
        reason.setRequired(true);
        reason.setWidth("min(640px, 95vw)");
        Span error = FormErrors.line("compromise-triage-error");
        Button confirm = new Button(getTranslation("compromise.page.confirm"), e -> decide(true, reason, error));
        confirm.setId("compromise-confirm");
        confirm.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_PRIMARY);
        Button falseAlarm = new Button(getTranslation("compromise.page.falseAlarm"), e -> decide(false, reason, error));
        falseAlarm.setId("compromise-false-alarm");
        box.add(reason, new HorizontalLayout(confirm, falseAlarm), error);
        return box;
    }

    private void decide(boolean confirmed, TextArea reason, Span error) {
        try {
            compromises.triage(caseId, confirmed, reason.getValue());
            render();
        } catch (FieldErrors errors) {
            String onReason = errors.errors().get("triageReason");
            FormErrors.mark(reason, onReason);
            error.setText(onReason != null ? "" : errors.errors().values().iterator().next());
        }
    }

    private VerticalLayout rotation(CompromiseCase c) {
        VerticalLayout box = new VerticalLayout();
        box.setPadding(false);
        if (c.rotationId() != null || c.rotationNote() != null) {
            box.add(new H3(getTranslation("compromise.page.rotation")));
            Paragraph p = new Paragraph(c.rotationId() != null
                    ? getTranslation("compromise.page.rotationStarted", c.rotationId()) : c.rotationNote());
            p.setId("compromise-rotation");
            box.add(p);
        }
        return box;
    }

    private VerticalLayout report(Compromises.CaseView v) {
        CompromiseCase c = v.c();
        VerticalLayout box = new VerticalLayout();
        box.setPadding(false);
        if (c.reportDueAt() == null) {
            return box;
        }
        box.add(new H3(getTranslation("compromise.page.report")));
        if (c.reportAt() != null) {
            Paragraph by = new Paragraph(getTranslation("compromise.page.reportBy", c.reportBy(),
                    UserTime.format(c.reportAt())));
            by.setId("compromise-report-by");
            box.add(by, labelled("compromise.page.reportWhat", c.reportWhat()),
                    labelled("compromise.page.reportRootCause", c.reportRootCause()),
                    labelled("compromise.page.reportActions", c.reportActions()));
            return box;
        }
        Paragraph due = new Paragraph(getTranslation("compromise.page.reportDue", UserTime.format(c.reportDueAt())));
        due.setId("compromise-report-due");
        box.add(due);
        if (!v.mayReport()) {
            return box;
        }
        TextArea what = area("compromise-report-what", "compromise.page.reportWhat");
        TextArea cause = area("compromise-report-cause", "compromise.page.reportRootCause");
        TextArea actions = area("compromise-report-actions", "compromise.page.reportActions");
        FormErrors errors = new FormErrors().field("what", what).field("rootCause", cause).field("actions", actions);
        errors.formLine().setId("compromise-report-error");
        Button submit = new Button(getTranslation("compromise.page.reportSubmit"), e -> {
            errors.clear();
            try {
                compromises.submitReport(caseId, what.getValue(), cause.getValue(), actions.getValue());
                render();
            } catch (FieldErrors refused) {
                errors.show(refused, null);
            }
        });
        submit.setId("compromise-report-submit");
        submit.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        box.add(what, cause, actions, submit, errors.formLine());
        return box;
    }

    private TextArea area(String id, String label) {
        TextArea area = new TextArea(getTranslation(label));
        area.setId(id);
        area.setMaxLength(Compromises.MAX_REPORT);
        area.setRequired(true);
        area.setWidth("min(640px, 95vw)");
        return area;
    }

    private Paragraph labelled(String label, String text) {
        return new Paragraph(getTranslation(label) + ": " + text);
    }

    private HorizontalLayout exports(CompromiseCase c) {
        Anchor csv = new Anchor(download("csv", "text/csv"), getTranslation("compromise.page.exportCsv"));
        csv.setId("compromise-export-csv");
        csv.setDownload(true);
        Anchor json = new Anchor(download("json", "application/json"), getTranslation("compromise.page.exportJson"));
        json.setId("compromise-export-json");
        json.setDownload(true);
        return new HorizontalLayout(csv, json);
    }

    /** The download runs in its own request: it reads the case again, with the same check of who may see it. */
    private DownloadHandler download(String format, String type) {
        long id = caseId;
        Compromises service = compromises;
        return event -> {
            Optional<Compromises.CaseView> v = service.view(id);
            if (v.isEmpty()) {
                event.getResponse().setStatus(404);
                return;
            }
            service.exported(id, format);
            event.setFileName("compromise-case-" + id + "." + format);
            event.setContentType(type);
            if ("csv".equals(format)) {
                CompromiseExport.csv(v.get(), event.getOutputStream());
            } else {
                CompromiseExport.json(v.get(), event.getOutputStream());
            }
        };
    }
}
