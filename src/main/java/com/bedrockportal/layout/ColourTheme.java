package com.bedrockportal.layout;

import java.util.List;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Composite;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.contextmenu.ContextMenu;
import com.vaadin.flow.component.contextmenu.MenuItem;
import com.vaadin.flow.component.icon.VaadinIcon;

/**
 * Light or dark: by default the portal follows the system's colour scheme ({@code prefers-color-scheme}), live; the
 * toggle in the top bar lets the user choose light or dark instead, remembered in this browser (local storage). The
 * choice is applied in the page's head before the first paint ({@link #SCRIPT}, added by the app shell), so a dark
 * page never flashes light.
 */
public final class ColourTheme extends Composite<Button> {

    /** The choices, as stored in the browser. */
    static final List<String> CHOICES = List.of("system", "light", "dark");

    /**
     * Applies Lumo's dark theme to the document when the stored choice is dark, or is "system" (or absent) and the
     * system prefers dark; re-applies when the system setting changes. Exposes {@code window.portalTheme}.
     */
    public static final String SCRIPT = """
            (function () {
              var key = 'portal-theme';
              var media = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
              function choice() {
                try { return localStorage.getItem(key) || 'system'; } catch (e) { return 'system'; }
              }
              function apply() {
                var c = choice();
                var dark = c === 'dark' || (c !== 'light' && media !== null && media.matches);
                var html = document.documentElement;
                if (dark) { html.setAttribute('theme', 'dark'); } else { html.removeAttribute('theme'); }
                html.style.colorScheme = dark ? 'dark' : 'light';
                return dark;
              }
              window.portalTheme = {
                choice: choice,
                apply: apply,
                choose: function (c) {
                  try { if (c === 'system') { localStorage.removeItem(key); } else { localStorage.setItem(key, c); } }
                  catch (e) { }
                  return apply();
                }
              };
              apply();
              if (media !== null && media.addEventListener) { media.addEventListener('change', apply); }
            })();
            """;

    private final ContextMenu menu;

    public ColourTheme() {
        Button button = getContent();
        button.setIcon(VaadinIcon.ADJUST.create());
        button.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ICON);
        button.setId("theme-toggle");
        button.setAriaLabel(button.getTranslation("theme.toggle"));
        button.setTooltipText(button.getTranslation("theme.toggle"));
        menu = new ContextMenu(button);
        menu.setOpenOnClick(true);
        for (String choice : CHOICES) {
            MenuItem item = menu.addItem(button.getTranslation("theme." + choice), e -> choose(choice));
            item.setCheckable(true);
            item.setId("theme-" + choice);
        }
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        getElement().executeJs("return window.portalTheme ? window.portalTheme.choice() : 'system'")
                .then(String.class, this::check);
    }

    private void choose(String choice) {
        check(choice);
        getElement().executeJs("window.portalTheme && window.portalTheme.choose($0)", choice);
    }

    private void check(String choice) {
        String current = CHOICES.contains(choice) ? choice : "system";
        menu.getItems().forEach(item -> item.setChecked(
                item.getId().map(id -> id.equals("theme-" + current)).orElse(false)));
        getContent().getElement().setAttribute("data-theme-choice", current);
    }
}
