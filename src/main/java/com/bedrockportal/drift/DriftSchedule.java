package com.bedrockportal.drift;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Runs the reconciliation every {@code portal.drift.interval} while {@code portal.drift.enabled}. */
@Component
class DriftSchedule {

    private static final Logger log = LoggerFactory.getLogger(DriftSchedule.class);

    private final Reconciliation reconciliation;
    private final DriftProperties properties;

    DriftSchedule(Reconciliation reconciliation, DriftProperties properties) {
        this.reconciliation = reconciliation;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${portal.drift.interval:PT1H}", initialDelayString = "${portal.drift.interval:PT1H}")
    void run() {
        if (!properties.enabled()) {
            return;
        }
        try {
            DriftService.Outcome outcome = reconciliation.run(Reconciliation.SCHEDULE);
            if (outcome != null) {
                log.info("Drift check: {} users, {} new, {} resolved, {} open", outcome.usersChecked(),
                        outcome.newFindings(), outcome.resolved(), outcome.openFindings());
            }
        } catch (RuntimeException e) {
            // AWS unreachable or refusing ListUsers: the next run tries again; findings stay as they are.
            log.warn("Drift check failed: {}", e.getMessage());
        }
    }
}
