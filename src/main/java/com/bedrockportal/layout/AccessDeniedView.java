package com.bedrockportal.layout;

import com.bedrockportal.identity.AccessDeniedRecorder;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.AccessDeniedException;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.ParentLayout;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Shown when a logged-in user opens a view their roles do not allow. The attempt is audited; the page says what
 * to do instead of leaking what is behind the URL.
 */
@ParentLayout(MainLayout.class)
public class AccessDeniedView extends VerticalLayout implements HasErrorParameter<AccessDeniedException>,
        HasDynamicTitle {

    private final transient AccessDeniedRecorder recorder;

    public AccessDeniedView(AccessDeniedRecorder recorder) {
        this.recorder = recorder;
        addClassName("portal-page");
        setId("access-denied");
    }

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<AccessDeniedException> parameter) {
        recorder.viewDenied("/" + event.getLocation().getPathWithQueryParameters());
        removeAll();
        add(new H2(getTranslation("denied.title")), new Paragraph(getTranslation("denied.text")),
                new Anchor("", getTranslation("denied.home")));
        return HttpServletResponse.SC_FORBIDDEN;
    }

    @Override
    public String getPageTitle() {
        return getTranslation("denied.title") + " · " + getTranslation("app.name");
    }
}
