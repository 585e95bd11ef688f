package com.bedrockportal.evidence.ui;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationPageSection;
import com.bedrockportal.evidence.EvidencePacks;
import com.bedrockportal.shared.ui.Card;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.server.streams.DownloadHandler;

/**
 * The application page's "Evidence pack" card: PDF and JSON downloads for security, admins and the unit's managers.
 * The service checks the user again on every download (the card only saves others a refusal).
 */
@org.springframework.stereotype.Component
final class EvidenceSection implements ApplicationPageSection {

    private final EvidencePacks packs;

    EvidenceSection(EvidencePacks packs) {
        this.packs = packs;
    }

    @Override
    public Component section(Application application, Runnable pageChanged) {
        if (!packs.mayDownload(application)) {
            return null;
        }
        Card card = new Card("evidence.section.title", "evidence-card");
        Paragraph hint = new Paragraph(card.getTranslation("evidence.section.hint"));
        hint.addClassName("portal-muted");
        HorizontalLayout links = new HorizontalLayout(
                link(application.id(), EvidencePacks.Format.PDF, "evidence-download-pdf", "evidence.download.pdf",
                        card),
                link(application.id(), EvidencePacks.Format.JSON, "evidence-download-json", "evidence.download.json",
                        card));
        links.setWrap(true);
        card.add(hint, links);
        return card;
    }

    @Override
    public int order() {
        return 20;
    }

    private Anchor link(long applicationId, EvidencePacks.Format format, String id, String label, Card card) {
        EvidencePacks service = packs;
        // Its own request without the UI lock: the service checks the user and audits the download.
        DownloadHandler handler = event -> {
            event.setFileName(EvidencePacks.fileName(applicationId, format));
            event.setContentType(format.contentType());
            try {
                service.downloadApplication(applicationId, format, event.getOutputStream());
            } catch (org.springframework.security.access.AccessDeniedException e) {
                event.getResponse().setStatus(403);
            }
        };
        Anchor a = new Anchor(handler, "");
        a.setId(id);
        a.addClassName("portal-link-button");
        a.add(VaadinIcon.DOWNLOAD.create(), new Span(card.getTranslation(label)));
        a.setDownload(true);
        return a;
    }
}
