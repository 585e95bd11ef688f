package com.bedrockportal.evidence.ui;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.evidence.EvidencePacks;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.ui.FormErrors;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;

import jakarta.annotation.security.RolesAllowed;

import org.springframework.security.access.AccessDeniedException;

/**
 * Security's and admins' evidence packs for a period: one unit's or all units', as PDF or JSON. The selection is
 * checked by the service as it changes (errors beside the fields); the downloads use the selection last accepted,
 * and the service checks it again with the user.
 */
@Route(value = "evidence", layout = MainLayout.class)
@PageTitle("Evidence packs · Bedrock Access Portal")
@Menu(title = "nav.evidence", order = 71, icon = "vaadin:file-text-o")
@RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
public class EvidenceView extends VerticalLayout {

    /** A unit to choose, or all units ({@code id} null). */
    record Scope(Long id, String label) {
    }

    /** What the downloads use: set only after the service accepted it. */
    record Selection(Long unitId, LocalDate from, LocalDate to) {
    }

    private final transient EvidencePacks packs;
    private final ComboBox<Scope> unit = new ComboBox<>();
    private final DatePicker from = new DatePicker();
    private final DatePicker to = new DatePicker();
    private final FormErrors errors = new FormErrors();
    private final Anchor pdf;
    private final Anchor json;
    private volatile Selection accepted;

    public EvidenceView(EvidencePacks packs, BusinessUnitService units) {
        this.packs = packs;
        addClassName("portal-page");
        setId("evidence");
        add(new H2(getTranslation("evidence.page.title")));
        Paragraph hint = new Paragraph(getTranslation("evidence.page.hint"));
        hint.addClassName("portal-muted");
        add(hint);

        List<Scope> scopes = new ArrayList<>();
        scopes.add(new Scope(null, getTranslation("evidence.allUnits")));
        for (BusinessUnit u : units.active()) {
            scopes.add(new Scope(u.id(), u.displayName()));
        }
        unit.setId("evidence-unit");
        unit.setLabel(getTranslation("evidence.unit"));
        unit.setItems(scopes);
        unit.setItemLabelGenerator(Scope::label);
        unit.setValue(scopes.get(0));
        unit.setRequired(true);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        from.setId("evidence-from");
        from.setLabel(getTranslation("evidence.from"));
        from.setValue(today.minusMonths(3));
        to.setId("evidence-to");
        to.setLabel(getTranslation("evidence.to"));
        to.setValue(today);
        errors.field("from", from).field("to", to).field("unit", unit);
        unit.addValueChangeListener(e -> check());
        from.addValueChangeListener(e -> check());
        to.addValueChangeListener(e -> check());

        pdf = link(EvidencePacks.Format.PDF, "evidence-unit-pdf", "evidence.download.pdf");
        json = link(EvidencePacks.Format.JSON, "evidence-unit-json", "evidence.download.json");
        HorizontalLayout fields = new HorizontalLayout(unit, from, to);
        fields.setWrap(true);
        fields.setAlignItems(FlexComponent.Alignment.BASELINE);
        HorizontalLayout links = new HorizontalLayout(pdf, json);
        links.setWrap(true);
        add(fields, errors.formLine(), links);
        check();
    }

    private void check() {
        errors.clear();
        try {
            if (unit.getValue() == null) {
                throw FieldErrors.of("unit", getTranslation("evidence.unit.required"));
            }
            packs.checkPeriod(from.getValue(), to.getValue());
            accepted = new Selection(unit.getValue().id(), from.getValue(), to.getValue());
            pdf.setEnabled(true);
            json.setEnabled(true);
        } catch (FieldErrors e) {
            accepted = null;
            errors.show(e, null);
            pdf.setEnabled(false);
            json.setEnabled(false);
        }
    }

    private Anchor link(EvidencePacks.Format format, String id, String label) {
        EvidencePacks service = packs;
        DownloadHandler handler = event -> {
            Selection s = accepted;
            if (s == null) {
                event.getResponse().setStatus(400);
                return;
            }
            event.setFileName(EvidencePacks.fileName(s.unitId(), s.from(), s.to(), format));
            event.setContentType(format.contentType());
            try {
                service.downloadUnits(s.unitId(), s.from(), s.to(), format, event.getOutputStream());
            } catch (AccessDeniedException e) {
                event.getResponse().setStatus(403);
            } catch (FieldErrors e) {
                event.getResponse().setStatus(400);
            }
        };
        Anchor a = new Anchor(handler, "");
        a.setId(id);
        a.addClassName("portal-link-button");
        a.add(VaadinIcon.DOWNLOAD.create(), new Span(getTranslation(label)));
        a.setDownload(true);
        return a;
    }
}
