package com.bedrockportal.shared.ui;

import java.util.List;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.internal.PendingJavaScriptInvocation;
import com.vaadin.flow.server.VaadinSession;

import elemental.json.Json;
import elemental.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A list asks the browser for the window's width when it is shown. A page whose browser has not answered yet (or
 * never does) must not keep every list it has shown since: it asks once, and only the lists still shown when the
 * answer comes take their layout from it.
 */
class ResponsiveGridTest {

    private final UI ui = new UI();

    ResponsiveGridTest() {
        VaadinSession session = Mockito.mock(VaadinSession.class);
        Mockito.when(session.hasLock()).thenReturn(true);
        ui.getInternals().setSession(session);
    }

    @Test
    void aPageAsksForTheWidthOnceHoweverManyListsItShowsBeforeTheAnswer() {
        for (int i = 0; i < 5; i++) {
            Grid<String> grid = grid();
            ui.add(grid);
            ui.remove(grid);
        }
        ui.add(grid());

        assertThat(detailsQuestions()).hasSize(1);
    }

    @Test
    void theAnswerLaysOutTheListsStillShownAndNotThoseLeft() {
        Grid<String> left = grid();
        ui.add(left);
        Grid<String> shown = grid();
        ui.add(shown);
        ui.remove(left);
        List<PendingJavaScriptInvocation> asked = detailsQuestions();
        assertThat(shown.getElement().hasAttribute("data-responsive-pending")).isTrue();

        asked.get(0).complete(browserDetails(390));

        assertThat(shown.getElement().getAttribute("data-layout")).isEqualTo("cards");
        assertThat(shown.getElement().hasAttribute("data-responsive-pending")).isFalse();
        assertThat(left.getElement().getAttribute("data-layout")).isNull();
        assertThat(left.getElement().hasAttribute("data-responsive-pending")).isTrue();

        Grid<String> later = grid();
        ui.add(later);
        assertThat(later.getElement().getAttribute("data-layout")).isEqualTo("cards");
        assertThat(detailsQuestions()).isEmpty();
    }

    /** A list left before the answer and shown again after it takes the width at once and is no longer waiting. */
    @Test
    void aListShownAgainAfterTheAnswerIsLaidOutAndNoLongerWaiting() {
        Grid<String> list = grid();
        ui.add(list);
        ui.remove(list);
        detailsQuestions().get(0).complete(browserDetails(1280));

        ui.add(list);

        assertThat(list.getElement().getAttribute("data-layout")).isEqualTo("columns");
        assertThat(list.getElement().hasAttribute("data-responsive-pending")).isFalse();
        assertThat(detailsQuestions()).isEmpty();
    }

    private static Grid<String> grid() {
        Grid<String> grid = new Grid<>();
        grid.addColumn(s -> s).setHeader("Name");
        ResponsiveGrid.cards(grid, "Name", Span::new);
        return grid;
    }

    /** The questions for the browser's details that this round trip would send. */
    private List<PendingJavaScriptInvocation> detailsQuestions() {
        return ui.getInternals().dumpPendingJavaScriptInvocations().stream().filter(i -> i.getInvocation()
                .getExpression().contains("getBrowserDetailsParameters")).toList();
    }

    private static JsonObject browserDetails(int innerWidth) {
        JsonObject details = Json.createObject();
        details.put("v-sw", "1920");
        details.put("v-sh", "1080");
        details.put("v-ww", String.valueOf(innerWidth));
        details.put("v-wh", "800");
        details.put("v-iw", String.valueOf(innerWidth));
        details.put("v-bw", String.valueOf(innerWidth));
        details.put("v-bh", "800");
        details.put("v-tzid", "Europe/Berlin");
        details.put("v-tzo", "-60");
        details.put("v-rtzo", "-60");
        details.put("v-dstd", "60");
        details.put("v-dston", "false");
        details.put("v-curdate", "1764950400000");
        details.put("v-td", "false");
        details.put("v-pr", "1");
        details.put("v-wn", "ROOT-1");
        return details;
    }
}
