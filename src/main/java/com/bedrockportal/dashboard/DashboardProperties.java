package com.bedrockportal.dashboard;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code portal.dashboard.*}: how often the figures are computed again, how many series a chart draws, and the caps
 * of the lists behind the tiles.
 *
 * @param refreshInterval between the end of one scheduled refresh and the next (default 15 minutes)
 * @param refreshEnabled  whether the schedule runs ("Refresh now" works either way)
 * @param chartSeries     the most applications or units a chart draws (the rest are summed as "others"; the table
 *                        view lists them all up to {@code tableRows})
 * @param tableRows       the most rows a chart's table view shows
 * @param csvMaxRows      the most rows one CSV export writes (the file says when it was cut)
 */
@ConfigurationProperties("portal.dashboard")
public record DashboardProperties(@DefaultValue("PT15M") Duration refreshInterval,
        @DefaultValue("true") boolean refreshEnabled, @DefaultValue("6") int chartSeries,
        @DefaultValue("200") int tableRows, @DefaultValue("50000") int csvMaxRows) {

    public DashboardProperties {
        if (refreshInterval.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new IllegalArgumentException("portal.dashboard.refresh-interval must be at least 10 seconds");
        }
        if (chartSeries < 1 || chartSeries > 12) {
            throw new IllegalArgumentException("portal.dashboard.chart-series must be between 1 and 12");
        }
        if (tableRows < 10 || tableRows > 5000 || csvMaxRows < 100 || csvMaxRows > 1_000_000) {
            throw new IllegalArgumentException("portal.dashboard.table-rows must be 10..5000, csv-max-rows 100..1000000");
        }
    }
}
