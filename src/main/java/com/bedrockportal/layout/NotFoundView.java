package com.bedrockportal.layout;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.ParentLayout;
import com.vaadin.flow.server.auth.AnonymousAllowed;

import jakarta.servlet.http.HttpServletResponse;

/**
 * An address that leads nowhere: a page in the portal's frame (navigation still there) that says so and leads home,
 * answered with 404. The address is shown as text only, cut to a readable length.
 */
@ParentLayout(MainLayout.class)
@AnonymousAllowed
public class NotFoundView extends VerticalLayout implements HasErrorParameter<NotFoundException>, HasDynamicTitle {

    static final int SHOWN_PATH_MAX = 120;

    public NotFoundView() {
        addClassName("portal-page");
        setId("not-found");
    }

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<NotFoundException> parameter) {
        String path = "/" + event.getLocation().getPath();
        if (path.length() > SHOWN_PATH_MAX) {
            path = path.substring(0, SHOWN_PATH_MAX) + "…";
        }
        removeAll();
        add(new H2(getTranslation("notfound.title")), new Paragraph(getTranslation("notfound.text", path)),
                new Anchor("", getTranslation("notfound.home")));
        return HttpServletResponse.SC_NOT_FOUND;
    }

    @Override
    public String getPageTitle() {
        return getTranslation("notfound.title") + " · " + getTranslation("app.name");
    }
}
