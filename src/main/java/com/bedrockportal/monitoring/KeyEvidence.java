package com.bedrockportal.monitoring;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.provisioning.ActivityTrail;
import com.bedrockportal.provisioning.ActivityTrail.TrailEvent;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.SpendReports;
import com.bedrockportal.provisioning.SpendReports.DailySpend;

import jakarta.annotation.security.RolesAllowed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * A key's evidence, as a compromise case and the key page show it: the CloudTrail events of the key's IAM user over
 * the last {@code portal.evidence.trail-window} (newest first, at most {@code max-events}) and its application's
 * daily Amazon Bedrock spend over the last {@code spend-days} days against the as many before. Read-only; one AWS
 * look-up each (no transaction is held while AWS answers). A part AWS could not answer is returned with its error
 * instead of failing the whole.
 */
@Service
public class KeyEvidence {

    private static final Logger log = LoggerFactory.getLogger(KeyEvidence.class);

    /**
     * What was gathered, at {@code gatheredAt}.
     *
     * @param events        the IAM user's events from {@code eventsFrom} to {@code gatheredAt}, newest first
     * @param eventsCut     there were more than {@code maxEvents}: the oldest are left out
     * @param eventsError   why the events could not be read (null when they were)
     * @param applicationTag the application's cost-allocation tag; null when the key has no application on record
     *                      (then the spend is the unit's)
     * @param daily         the daily spend of both periods, oldest first: {@code 2 × spendDays} rows, today last
     * @param recentUsd     the last {@code spendDays} days' total (today included)
     * @param previousUsd   the total of the {@code spendDays} days before
     * @param spendError    why the spend could not be read (null when it was; then the sums are zero)
     * @param transientFailure a part failed in a way that trying again may get past (throttling, timeout)
     */
    public record Evidence(long keyId, String iamUser, String credentialId, Instant gatheredAt, Instant eventsFrom,
            List<TrailEvent> events, int maxEvents, boolean eventsCut, String eventsError, String businessUnitTag,
            String applicationTag, int spendDays, List<DailySpend> daily, BigDecimal recentUsd,
            BigDecimal previousUsd, String spendError, boolean transientFailure) {

        /** Events made with this key (its credential id), among those read. */
        public long eventsWithTheKey() {
            return events.stream().filter(e -> credentialId != null && credentialId.equals(e.credentialId())).count();
        }

        /** Events that AWS refused (an error code), among those read. */
        public long refusedEvents() {
            return events.stream().filter(e -> e.errorCode() != null).count();
        }
    }

    private final ApiKeys keys;
    private final BusinessUnitService units;
    private final ApplicationService applications;
    private final ActivityTrail trail;
    private final SpendReports spend;
    private final EvidenceProperties properties;
    private final Clock clock;

    KeyEvidence(ApiKeys keys, BusinessUnitService units, ApplicationService applications, ActivityTrail trail,
            SpendReports spend, EvidenceProperties properties, Clock clock) {
        this.keys = keys;
        this.units = units;
        this.applications = applications;
        this.trail = trail;
        this.spend = spend;
        this.properties = properties;
        this.clock = clock;
    }

    /** How far back the events are read ({@code portal.evidence.trail-window}). */
    public java.time.Duration trailWindow() {
        return properties.trailWindow();
    }

    /** The key's evidence, for security (views). Empty when there is no such key. */
    @RolesAllowed(PortalRole.SECURITY_ROLE)
    public Optional<Evidence> forKey(long keyId) {
        return gather(keyId);
    }

    /**
     * The key's evidence, for a process step that runs without a user (the compromise case; it has checked the
     * case first). Empty when there is no such key.
     */
    public Optional<Evidence> gather(long keyId) {
        Optional<ApiKey> found = keys.find(keyId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ApiKey key = found.get();
        String unitTag = units.find(key.businessUnitId()).map(BusinessUnit::slug).orElse(null);
        String appTag = applications.allOfUnit(key.businessUnitId()).stream()
                .filter(a -> a.names() != null && key.iamUser().equals(a.names().iamUser())).map(Application::slug)
                .findFirst().orElse(null);
        return Optional.of(gather(key.id(), key.iamUser(), key.credentialId(), unitTag, appTag));
    }

    /** The evidence of an IAM user and its tags (the key's credential id marks the events made with it). */
    Evidence gather(long keyId, String iamUser, String credentialId, String unitTag, String appTag) {
        Instant now = clock.instant();
        Instant from = now.minus(properties.trailWindow());
        boolean retry = false;
        List<TrailEvent> events = List.of();
        boolean cut = false;
        String eventsError = null;
        try {
            // one more than shown tells whether the list was cut
            List<TrailEvent> read = trail.eventsOfUser(iamUser, from, now, Math.min(properties.maxEvents() + 1,
                    ActivityTrail.MAX_EVENTS));
            cut = read.size() > properties.maxEvents() || read.size() >= ActivityTrail.MAX_EVENTS;
            events = read.size() > properties.maxEvents() ? List.copyOf(read.subList(0, properties.maxEvents()))
                    : read;
        } catch (CloudException e) {
            log.warn("CloudTrail events of {} could not be read: {}", iamUser, e.getMessage());
            eventsError = e.getMessage();
            retry |= !e.business();
        }
        int days = properties.spendDays();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate start = today.minusDays(2L * days - 1);
        List<DailySpend> daily = List.of();
        BigDecimal recent = BigDecimal.ZERO;
        BigDecimal previous = BigDecimal.ZERO;
        String spendError = null;
        if (unitTag == null) {
            spendError = "the key's business unit is no longer on record";
        } else {
            try {
                daily = spend.dailySpend(unitTag, appTag, start, today.plusDays(1));
                LocalDate recentFrom = today.minusDays(days - 1L);
                for (DailySpend d : daily) {
                    if (d.day().isBefore(recentFrom)) {
                        previous = previous.add(d.amountUsd());
                    } else {
                        recent = recent.add(d.amountUsd());
                    }
                }
            } catch (CloudException e) {
                log.warn("Spend of {}/{} could not be read: {}", unitTag, appTag, e.getMessage());
                spendError = e.getMessage();
                retry |= !e.business();
            }
        }
        return new Evidence(keyId, iamUser, credentialId, now, from, events, properties.maxEvents(), cut,
                eventsError, unitTag, appTag, days, daily, recent, previous, spendError, retry);
    }
}
