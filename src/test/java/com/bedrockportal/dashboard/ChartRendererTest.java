package com.bedrockportal.dashboard;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The charts as SVG: names escaped, text in the page's colour, ids unique per chart and width, percentiles. */
class ChartRendererTest {

    private static Figures figures(String unitName) {
        LocalDate monday = LocalDate.of(2026, 11, 30);
        List<LocalDate> days = List.of(monday.minusDays(1), monday);
        return new Figures("all", Instant.parse("2026-12-01T08:00:00Z"), 0, new Figures.Tiles(1, 0, 0, 0, null, 0L,
                0L, 0L, BigDecimal.ONE, BigDecimal.TEN, null),
                List.of(new Figures.UnitKeys(1, unitName, 3, 1, 0, 2)), List.of(new Figures.WeekCount(monday, 4)),
                List.of(new Figures.WeekLead(monday, 2, 1.5, 3.0)),
                List.of(new Figures.UnitSpend(1, unitName, new BigDecimal("12.50"), null, new BigDecimal("100"))),
                days, List.of(new Figures.AppUsage(7, "App <b>", unitName, List.of(5L, 6L), List.of(0L, 1L))),
                Map.of());
    }

    @Test
    void namesAreTextNotMarkupAndTextTakesThePagesColour() {
        Map<String, Figures.Chart> charts = new ChartRenderer().render(figures("Unit <script>alert(1)</script> & co"),
                6);
        assertThat(charts).containsOnlyKeys(Figures.KEYS, Figures.EXPIRY, Figures.LEAD_TIME, Figures.SPEND,
                Figures.INVOCATIONS, Figures.DENIED);
        Figures.Chart keys = charts.get(Figures.KEYS);
        for (String svg : List.of(keys.wide(), keys.narrow())) {
            assertThat(svg).startsWith("<svg role=\"img\" aria-label=\"Live keys by business unit and status\"")
                    .doesNotContain("<script").contains("&lt;script&gt;").contains("currentColor")
                    .doesNotContain("rgb(1,2,3)");
        }
        assertThat(charts.get(Figures.INVOCATIONS).wide()).contains("App &lt;b&gt;").doesNotContain("<b>");
        assertThat(keys.wide()).contains("id='chart-keys-w'");
        assertThat(keys.narrow()).contains("id='chart-keys-n'");
    }

    @Test
    void coordinatesAreWrittenToATenthOfAPixelAndTransformsToFourDecimals() {
        Figures.Chart expiry = new ChartRenderer().render(figures("Unit"), 6).get(Figures.EXPIRY);
        for (String svg : List.of(expiry.wide(), expiry.narrow())) {
            // (colours and opacities in style attributes are not coordinates)
            String coordinates = svg.replaceAll("(transform|style)='[^']*'", "");
            assertThat(coordinates).containsPattern("\\d\\.\\d").doesNotContainPattern("\\d\\.\\d{2}");
            assertThat(svg).doesNotContainPattern("transform='[^']*\\d\\.\\d{5}");
        }
        assertThat(ChartRenderer.rounded(370.88299560546875, 10)).isEqualTo("370.9");
        assertThat(ChartRenderer.rounded(304.5, 10)).isEqualTo("304.5");
        assertThat(ChartRenderer.rounded(760.0, 10)).isEqualTo("760");
        assertThat(ChartRenderer.rounded(-0.04, 10)).isEqualTo("0");
        assertThat(ChartRenderer.rounded(0.7071067811865476, 10_000)).isEqualTo("0.7071");
        assertThat(ChartRenderer.rounded(-159.558292850596, 10_000)).isEqualTo("-159.5583");
    }

    @Test
    void emptyFiguresSayThereIsNoData() {
        Figures empty = new Figures("owner:x", Instant.now(), 0, figures("u").tiles(), List.of(), List.of(),
                List.of(), List.of(), List.of(LocalDate.now()), List.of(), Map.of());
        assertThat(new ChartRenderer().render(empty, 6).get(Figures.KEYS).wide()).contains("No data yet");
    }

    @Test
    void percentileIsTheNearestRank() {
        List<Double> values = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
        assertThat(FigureQueries.percentile(values, 50)).isEqualTo(5.0);
        assertThat(FigureQueries.percentile(values, 90)).isEqualTo(9.0);
        assertThat(FigureQueries.percentile(List.of(4.0), 90)).isEqualTo(4.0);
        assertThat(FigureQueries.percentile(List.of(), 50)).isZero();
    }
}
