package com.bedrockportal.shared.ui;

import java.util.ArrayList;
import java.util.List;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.function.SerializableConsumer;
import com.vaadin.flow.function.SerializableFunction;
import com.vaadin.flow.shared.Registration;

/**
 * Lists at phone width: a grid shows its columns on wide windows and a single "card" column (the row's main facts on
 * a few lines) on narrow ones. The window width is read from the browser when the grid is attached and followed as
 * the window is resized. Until the browser has answered, the grid carries {@code data-responsive-pending}.
 */
public final class ResponsiveGrid {

    /** Windows narrower than this (CSS pixels) get cards. */
    public static final int NARROW_BELOW = 700;

    private static final String WIDTH = ResponsiveGrid.class.getName() + ".width";

    /** The grids of a UI that wait for the browser's answer (see {@link #whenWidthKnown}). */
    private static final String WAITING = ResponsiveGrid.class.getName() + ".waiting";

    private ResponsiveGrid() {
    }

    /**
     * Adds the card column and switches between it and the columns the grid has now (those visible now) by window
     * width. The card column's header is {@code header}.
     */
    public static <T> Grid.Column<T> cards(Grid<T> grid, String header, SerializableFunction<T, Component> card) {
        List<Grid.Column<T>> wide = grid.getColumns().stream().filter(Grid.Column::isVisible).toList();
        Grid.Column<T> cards = grid.addComponentColumn(card::apply).setHeader(header).setKey("card").setFlexGrow(1);
        cards.setVisible(false);
        grid.addClassName("portal-responsive-grid");
        List<Registration> whileAttached = new ArrayList<>();
        grid.addAttachListener(e -> {
            UI ui = e.getUI();
            followWindowWidth(ui);
            Integer known = (Integer) ComponentUtil.getData(ui, WIDTH);
            if (known != null) {
                apply(grid, wide, cards, known);
                // Shown again after the answer came while it was away (its wait was dropped at detach).
                grid.getElement().removeAttribute("data-responsive-pending");
            } else {
                grid.getElement().setAttribute("data-responsive-pending", true);
                whileAttached.add(whenWidthKnown(ui, width -> {
                    apply(grid, wide, cards, width);
                    grid.getElement().removeAttribute("data-responsive-pending");
                }));
            }
            // followWindowWidth keeps the UI's width; this lays out the grid.
            whileAttached.add(ui.getPage().addBrowserWindowResizeListener(r -> apply(grid, wide, cards, r.getWidth())));
        });
        grid.addDetachListener(e -> {
            whileAttached.forEach(Registration::remove);
            whileAttached.clear();
        });
        return cards;
    }

    /**
     * Calls {@code then} with the window width once the browser has told it. The browser is asked once per UI, however
     * many grids wait for its answer: a page whose browser does not answer (or not yet) holds one question, not every
     * list it has shown since, and a grid detached meanwhile is forgotten (removing the returned registration).
     */
    @SuppressWarnings("unchecked")
    private static Registration whenWidthKnown(UI ui, SerializableConsumer<Integer> then) {
        List<SerializableConsumer<Integer>> asked = (List<SerializableConsumer<Integer>>) ComponentUtil.getData(ui,
                WAITING);
        List<SerializableConsumer<Integer>> waiting = asked != null ? asked : new ArrayList<>();
        waiting.add(then); // before asking: Vaadin answers at once when it knows the details already
        if (asked == null) {
            ComponentUtil.setData(ui, WAITING, waiting);
            ui.getPage().retrieveExtendedClientDetails(d -> {
                ComponentUtil.setData(ui, WAITING, null);
                ComponentUtil.setData(ui, WIDTH, d.getWindowInnerWidth());
                List.copyOf(waiting).forEach(c -> c.accept(d.getWindowInnerWidth()));
                waiting.clear();
            });
        }
        return () -> waiting.remove(then);
    }

    /** Once per UI: keeps the last known window width up to date, for grids attached later in the same UI. */
    private static void followWindowWidth(UI ui) {
        if (ComponentUtil.getData(ui, WIDTH + ".followed") == null) {
            ComponentUtil.setData(ui, WIDTH + ".followed", Boolean.TRUE);
            ui.getPage().addBrowserWindowResizeListener(r -> ComponentUtil.setData(ui, WIDTH, r.getWidth()));
        }
    }

    private static <T> void apply(Grid<T> grid, List<Grid.Column<T>> wide, Grid.Column<T> cards, int width) {
        boolean narrow = width > 0 && width < NARROW_BELOW;
        wide.forEach(c -> c.setVisible(!narrow));
        cards.setVisible(narrow);
        grid.getElement().setAttribute("data-layout", narrow ? "cards" : "columns");
    }

    /** A card: the first line in bold (with optional trailing pieces), further lines muted; blank parts left out. */
    public static Div card(Component title, Component... lines) {
        Div card = new Div();
        card.addClassName("portal-grid-card");
        Div first = new Div(title);
        first.addClassName("portal-grid-card-title");
        card.add(first);
        for (Component line : lines) {
            if (line != null) {
                Div l = new Div(line);
                l.addClassName("portal-grid-card-line");
                card.add(l);
            }
        }
        return card;
    }

    /** Text pieces of a card line, joined by " · ", blanks left out. */
    public static Span line(String... parts) {
        return new Span(String.join(" · ", java.util.Arrays.stream(parts).filter(p -> p != null && !p.isBlank())
                .toList()));
    }
}
