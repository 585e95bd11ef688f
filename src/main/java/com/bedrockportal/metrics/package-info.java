/**
 * Metrics: the portal's Micrometer meters on {@code /actuator/prometheus} ({@code portal_*}, listed in the README).
 * Gauges are counts kept in memory and refreshed on a schedule ({@code portal.metrics.refresh-interval}) from the
 * tables of the request, key and alert features and Camunda's incidents — read-only, one small grouped query each,
 * never per scrape; lead and provisioning times are recorded by the node whose step provisioned a request, once that
 * step commits (the request module's {@code Provisioned} event); reveals are counted from the key module's events. The AWS call counter lives with the cloud ports
 * ({@code provisioning.CloudCallMetrics}). Scraping needs no user session: HTTP Basic for one scrape user
 * ({@link com.bedrockportal.metrics.MetricsSecurity}).
 */
package com.bedrockportal.metrics;
