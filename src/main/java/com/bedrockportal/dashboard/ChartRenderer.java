package com.bedrockportal.dashboard;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Rectangle;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.bedrockportal.dashboard.Figures.AppUsage;
import com.bedrockportal.dashboard.Figures.Chart;
import com.bedrockportal.dashboard.Figures.UnitKeys;
import com.bedrockportal.dashboard.Figures.UnitSpend;
import com.bedrockportal.dashboard.Figures.WeekCount;
import com.bedrockportal.dashboard.Figures.WeekLead;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;
import org.springframework.stereotype.Component;

/**
 * Draws the dashboard's charts as SVG on the server (JFreeChart into JFreeSVG): no chart add-on in the browser. Text
 * and axes are drawn in {@code currentColor} and the background is transparent, so the inline SVG takes the page's
 * text colour — readable in light and dark mode alike; series colours are mid-tones readable on both. Each chart is
 * drawn twice: wide (desktop) and narrow (phone, legend below), chosen by CSS. Labels (unit and application names)
 * are escaped by JFreeSVG as XML text.
 */
@Component
class ChartRenderer {

    /** Drawn as this colour, then written as {@code currentColor}. */
    private static final Color TEXT = new Color(1, 2, 3);
    private static final Color GRID = new Color(128, 128, 128, 90);
    static final List<Color> PALETTE = List.of(new Color(0x1f77d0), new Color(0xe8590c), new Color(0x2f9e44),
            new Color(0xc2255c), new Color(0x7048e8), new Color(0x0c8599), new Color(0x868e96));
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);
    private static final int WIDE_W = 760;
    private static final int WIDE_H = 320;
    private static final int NARROW_W = 380;
    private static final int NARROW_H = 340;

    /** Every chart of a set of figures, by name, with the at most {@code series} series each. */
    Map<String, Chart> render(Figures f, int series) {
        Map<String, Chart> charts = new LinkedHashMap<>();
        charts.put(Figures.KEYS, keys(f.keysByUnit(), series * 2));
        charts.put(Figures.EXPIRY, expiry(f.expiry()));
        charts.put(Figures.LEAD_TIME, leadTime(f.leadTime()));
        charts.put(Figures.SPEND, spend(f.spend(), series * 2));
        charts.put(Figures.INVOCATIONS, usage(f.usageDays(), f.usage(), series, false));
        charts.put(Figures.DENIED, usage(f.usageDays(), f.usage(), series, true));
        return charts;
    }

    private Chart keys(List<UnitKeys> rows, int max) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<UnitKeys> shown = rows.size() > max ? rows.subList(0, max) : rows;
        for (UnitKeys u : shown) {
            data.addValue(u.active(), "active", u.unit());
            data.addValue(u.pendingReveal(), "pending reveal", u.unit());
            data.addValue(u.inactive(), "inactive", u.unit());
            data.addValue(u.expired(), "expired", u.unit());
        }
        if (rows.size() > max) {
            String others = "others (" + (rows.size() - max) + ")";
            List<UnitKeys> rest = rows.subList(max, rows.size());
            data.addValue(rest.stream().mapToLong(UnitKeys::active).sum(), "active", others);
            data.addValue(rest.stream().mapToLong(UnitKeys::pendingReveal).sum(), "pending reveal", others);
            data.addValue(rest.stream().mapToLong(UnitKeys::inactive).sum(), "inactive", others);
            data.addValue(rest.stream().mapToLong(UnitKeys::expired).sum(), "expired", others);
        }
        String title = "Live keys by business unit and status";
        return draw(title, "keys", w -> bars(data, "keys", PlotOrientation.HORIZONTAL, true,
                List.of(PALETTE.get(2), PALETTE.get(0), PALETTE.get(6), PALETTE.get(3))));
    }

    private Chart expiry(List<WeekCount> weeks) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (WeekCount w : weeks) {
            data.addValue(w.keys(), "keys expiring", DAY.format(w.weekStart()));
        }
        return draw("Keys expiring per week, next 90 days", "expiry", w -> bars(data, "keys",
                PlotOrientation.VERTICAL, false, List.of(PALETTE.get(1))));
    }

    private Chart leadTime(List<WeekLead> weeks) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (WeekLead w : weeks) {
            String week = DAY.format(w.weekStart());
            data.addValue(w.provisioned() == 0 ? null : w.medianHours(), "median", week);
            data.addValue(w.provisioned() == 0 ? null : w.p90Hours(), "p90", week);
        }
        return draw("Approval lead time per week (submitted to key created), hours", "lead-time",
                w -> lines(data, "hours", List.of(PALETTE.get(0), PALETTE.get(3))));
    }

    private Chart spend(List<UnitSpend> rows, int max) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (UnitSpend u : rows.size() > max ? rows.subList(0, max) : rows) {
            data.addValue(u.actual(), "spent", u.unit());
            data.addValue(u.forecast(), "forecast", u.unit());
            data.addValue(u.budget(), "budget", u.unit());
        }
        return draw("Spend this month vs budget per unit, USD", "spend", w -> bars(data, "USD",
                PlotOrientation.HORIZONTAL, false, List.of(PALETTE.get(0), PALETTE.get(4), PALETTE.get(6))));
    }

    private Chart usage(List<LocalDate> days, List<AppUsage> apps, int max, boolean denied) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<AppUsage> shown = new ArrayList<>(apps.size() > max ? apps.subList(0, max) : apps);
        for (int i = 0; i < days.size(); i++) {
            String day = DAY.format(days.get(i));
            for (AppUsage a : shown) {
                data.addValue((denied ? a.denied() : a.invocations()).get(i), a.application(), day);
            }
            if (apps.size() > max) {
                long rest = 0;
                for (AppUsage a : apps.subList(max, apps.size())) {
                    rest += (denied ? a.denied() : a.invocations()).get(i);
                }
                data.addValue(rest, "others", day);
            }
        }
        if (denied) {
            return draw("AccessDenied per application per day, last 14 days", "denied",
                    w -> bars(data, "refused calls", PlotOrientation.VERTICAL, true, PALETTE));
        }
        return draw("Bedrock calls per application per day, last 14 days", "invocations",
                w -> lines(data, "calls", PALETTE));
    }

    private interface Maker {
        JFreeChart make(boolean wide);
    }

    private Chart draw(String title, String id, Maker maker) {
        return new Chart(title, svg(maker.make(true), id + "-w", WIDE_W, WIDE_H, true, title),
                svg(maker.make(false), id + "-n", NARROW_W, NARROW_H, false, title));
    }

    private static JFreeChart bars(DefaultCategoryDataset data, String valueLabel, PlotOrientation orientation,
            boolean stacked, List<Color> colours) {
        BarRenderer renderer = stacked ? new StackedBarRenderer() : new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setItemMargin(0.05);
        renderer.setMaximumBarWidth(0.12);
        return chart(data, valueLabel, orientation, renderer, colours);
    }

    private static JFreeChart lines(DefaultCategoryDataset data, String valueLabel, List<Color> colours) {
        LineAndShapeRenderer renderer = new LineAndShapeRenderer(true, true);
        renderer.setDefaultStroke(new BasicStroke(2f));
        renderer.setAutoPopulateSeriesStroke(false);
        return chart(data, valueLabel, PlotOrientation.VERTICAL, renderer, colours);
    }

    private static JFreeChart chart(DefaultCategoryDataset data, String valueLabel, PlotOrientation orientation,
            CategoryItemRenderer renderer, List<Color> colours) {
        for (int i = 0; i < data.getRowCount(); i++) {
            Paint p = colours.get(i % colours.size());
            renderer.setSeriesPaint(i, p);
        }
        CategoryAxis categories = new CategoryAxis();
        ValueAxis values = new NumberAxis(valueLabel);
        ((NumberAxis) values).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CategoryPlot plot = new CategoryPlot(data, categories, values, renderer);
        plot.setOrientation(orientation);
        plot.setBackgroundPaint(null);
        plot.setOutlineVisible(false);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlinesVisible(false);
        plot.setNoDataMessage("No data yet");
        plot.setNoDataMessagePaint(TEXT);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        for (org.jfree.chart.axis.Axis axis : new org.jfree.chart.axis.Axis[] { categories, values }) {
            axis.setLabelPaint(TEXT);
            axis.setTickLabelPaint(TEXT);
            axis.setAxisLinePaint(GRID);
            axis.setTickMarkPaint(GRID);
            axis.setTickLabelFont(font);
            axis.setLabelFont(font);
        }
        if (orientation == PlotOrientation.VERTICAL && data.getColumnCount() > 7) {
            categories.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        categories.setMaximumCategoryLabelWidthRatio(0.35f);
        // A legend whenever the series have names worth reading (one application's usage too).
        JFreeChart chart = new JFreeChart(null, font, plot, data.getRowCount() > 1
                || (data.getRowCount() == 1 && !"keys expiring".equals(data.getRowKey(0))));
        chart.setBackgroundPaint(null);
        chart.setBorderVisible(false);
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemPaint(TEXT);
            legend.setBackgroundPaint(null);
            legend.setFrame(BlockBorder.NONE);
            legend.setItemFont(font);
            legend.setPosition(RectangleEdge.BOTTOM);
        }
        return chart;
    }

    private static String svg(JFreeChart chart, String id, int w, int h, boolean wide, String title) {
        if (!wide && chart.getPlot() instanceof CategoryPlot plot) {
            plot.getDomainAxis().setCategoryLabelPositions(plot.getOrientation() == PlotOrientation.VERTICAL
                    ? CategoryLabelPositions.UP_90 : CategoryLabelPositions.STANDARD);
        }
        SVGGraphics2D g2 = new SVGGraphics2D(w, h);
        g2.setDefsKeyPrefix("chart-" + id + "-");
        g2.setGeomDoubleConverter(d -> rounded(d, 10));
        g2.setTransformDoubleConverter(d -> rounded(d, 10_000));
        chart.draw(g2, new Rectangle(0, 0, w, h));
        String svg = g2.getSVGElement("chart-" + id, false, new ViewBox(0, 0, w, h), null, null);
        String text = "rgb(1,2,3)";
        return svg.replace(text, "currentColor").replace("<svg ", "<svg role=\"img\" aria-label=\""
                + escape(title) + "\" class=\"portal-chart\" ");
    }

    /**
     * A coordinate to a tenth of a pixel (a transform's entries to 1/10,000): JFreeSVG writes every double in full
     * ({@code 370.88299560546875}), which made numbers three quarters of a chart's text and each open dashboard page
     * hold and receive some 400 KB of charts at the benchmark's volumes (README "Performance").
     */
    static String rounded(double d, int scale) {
        return BigDecimal.valueOf(Math.round(d * scale)).divide(BigDecimal.valueOf(scale)).stripTrailingZeros()
                .toPlainString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
