package com.bedrockportal.alerts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Evaluates the alert rules every {@code portal.alerts.interval} while {@code portal.alerts.enabled}. */
@Component
class AlertSchedule {

    private static final Logger log = LoggerFactory.getLogger(AlertSchedule.class);

    private final Alerts alerts;
    private final AlertsProperties properties;

    AlertSchedule(Alerts alerts, AlertsProperties properties) {
        this.alerts = alerts;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${portal.alerts.interval:PT15M}",
            initialDelayString = "${portal.alerts.interval:PT15M}")
    void run() {
        if (!properties.enabled()) {
            return;
        }
        try {
            Alerts.Outcome o = alerts.evaluate();
            if (o != null && (o.raised() + o.updated() + o.failed() > 0 || o.capped())) {
                log.info("Alerts: {} condition(s), {} raised, {} updated, {} kept quiet, {} failed{}", o.conditions(),
                        o.raised(), o.updated(), o.quiet(), o.failed(), o.capped() ? " (capped)" : "");
            }
        } catch (RuntimeException e) {
            // The database unreachable: the next run tries again; each alert is raised whole or not at all.
            log.warn("Alert evaluation failed: {}", e.getMessage());
        }
    }
}
