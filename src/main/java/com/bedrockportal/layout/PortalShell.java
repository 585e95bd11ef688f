package com.bedrockportal.layout;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Inline;
import com.vaadin.flow.component.page.Meta;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.component.page.TargetElement;
import com.vaadin.flow.server.AppShellSettings;
import com.vaadin.flow.theme.Theme;

/**
 * The page every view is served in: the portal's theme, server push, the referrer policy, and the colour theme set
 * before the first paint. It lives here, not on the application class, because Vaadin looks for it only in the
 * packages it scans ({@code PortalApplication}'s {@code @EnableVaadin}).
 */
@Theme("portal")
@Push
@Meta(name = "referrer", content = "same-origin")
public class PortalShell implements AppShellConfigurator {

    /**
     * The script in the page's head applies Lumo's dark theme when the user chose dark, or chose nothing and the
     * system prefers dark, and follows the system setting as it changes.
     */
    @Override
    public void configurePage(AppShellSettings settings) {
        settings.addInlineWithContents(TargetElement.HEAD, Inline.Position.PREPEND, ColourTheme.SCRIPT,
                Inline.Wrapping.JAVASCRIPT);
    }
}
