package com.bedrockportal.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.application.RotationSchedules;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.KeyStatus;
import com.bedrockportal.notification.Notifier;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.shared.FormValidation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The expiry watch: every {@code portal.keys.expiry-check-interval} (while {@code portal.keys.expiry-check-enabled})
 * it looks at every key of every active application and
 * <ol>
 * <li>starts the <b>scheduled rotation</b> of an application whose newest active key is due
 * ({@link ExpiryRules#rotationDue}: as old as the application's rotate-every, or expiring within the rotation overlap
 * and the margin) — unless a rotation of it is open; the schedule starts one rotation per key;</li>
 * <li>sends the <b>reminders</b> before a key expires ({@code portal.keys.remind-before}) to the application's owner,
 * with the way to renew it — unless the key is being replaced (a rotation of its application is open, or a newer key
 * outlives it). An application with scheduled rotation rotates before the first reminder is due, so it is reminded
 * only when no rotation could start;</li>
 * <li><b>deletes</b> a key from AWS once it has been expired for {@code portal.keys.delete-expired-after}, to free its
 * slot (two keys per IAM user); the key becomes DELETED, audited ({@value #AUDIT_KEY_DELETED_EXPIRED}) and shown on
 * the key page.</li>
 * </ol>
 * Each of these happens once per key, however many portal nodes run the check and across restarts: each is done in
 * its own transaction together with a row of {@code key_expiry_event} that is unique per key and event, so a second
 * node's attempt fails on the constraint and is rolled back (deleting also locks the key's row and deletes only what
 * is still in AWS). A failure (AWS not answering, a rotation that cannot start) leaves the key for the next check.
 */
@Service
public class ExpiryWatch {

    /** Who the watch acts as in the audit log and the key's last change. */
    public static final String ACTOR = "expiry-watch";
    public static final String AUDIT_KEY_DELETED_EXPIRED = "KEY_DELETED_EXPIRED";

    /** What one check did. {@code remindersLost}: reminders another node (or run) sent first. */
    public record Outcome(int rotationsStarted, int remindersSent, int remindersLost, int keysDeleted, int failed) {

        boolean any() {
            return rotationsStarted + remindersSent + remindersLost + keysDeleted + failed > 0;
        }
    }

    /** One step of a key's expiry timeline (the key page): when, what ({@code event}), and its details. */
    public record TimelineEntry(Instant at, String event, String detail) {

        /** For a reminder, its period before expiry ("P7D"); otherwise null. */
        public String reminder() {
            return event.startsWith(ExpiryEvents.REMIND) ? event.substring(ExpiryEvents.REMIND.length()) : null;
        }
    }

    private enum Result {
        DONE, LOST, SKIPPED, FAILED
    }

    private static final Logger log = LoggerFactory.getLogger(ExpiryWatch.class);
    /** How many applications, or expired keys, the check reads at a time. */
    static final int PAGE = 500;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

    private final ApiKeys keys;
    private final RotationSchedules schedules;
    private final ApplicationService applications;
    private final BusinessUnitService units;
    private final Rotations rotations;
    private final ServiceCredentials credentials;
    private final Notifier notifier;
    private final AuditLog audit;
    private final FormValidation texts;
    private final ExpiryEvents events;
    private final ExpiryWatchProperties properties;
    private final Duration overlap;
    private final TransactionTemplate transactions;
    private final java.time.Clock clock;
    private volatile int pageSize = PAGE;

    ExpiryWatch(ApiKeys keys, RotationSchedules schedules, ApplicationService applications, BusinessUnitService units,
            Rotations rotations, ServiceCredentials credentials, Notifier notifier, AuditLog audit,
            FormValidation texts, ExpiryEvents events, ExpiryWatchProperties properties,
            @Value("${portal.rotation.overlap:P7D}") Duration overlap, PlatformTransactionManager transactionManager,
            java.time.Clock clock) {
        this.keys = keys;
        this.schedules = schedules;
        this.applications = applications;
        this.units = units;
        this.rotations = rotations;
        this.credentials = credentials;
        this.notifier = notifier;
        this.audit = audit;
        this.texts = texts;
        this.events = events;
        this.properties = properties;
        this.overlap = overlap;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** The scheduled check: {@link #check()} every {@code portal.keys.expiry-check-interval}. */
    @Scheduled(fixedDelayString = "${portal.keys.expiry-check-interval:PT1H}",
            initialDelayString = "${portal.keys.expiry-check-interval:PT1H}")
    void scheduledCheck() {
        if (!properties.expiryCheckEnabled()) {
            return;
        }
        try {
            Outcome o = check();
            if (o.any()) {
                log.info("Expiry check: {} rotation(s) started, {} reminder(s) sent ({} sent by another node), {} "
                        + "expired key(s) deleted, {} failed (tried again next time)", o.rotationsStarted(),
                        o.remindersSent(), o.remindersLost(), o.keysDeleted(), o.failed());
            }
        } catch (RuntimeException e) {
            // The database or AWS unreachable: the next check tries again; nothing was half done (one step, one
            // transaction).
            log.warn("Expiry check failed: {}", e.getMessage());
        }
    }

    /**
     * One check, now (the schedule's, and tests'): scheduled rotations, then reminders, then deletions. Applications
     * and expired keys are read a page at a time ({@value #PAGE}), so the check holds one page in memory whatever the
     * number of keys (a page's rotations before its reminders, so a key whose rotation starts is not also reminded).
     */
    public Outcome check() {
        Instant now = clock.instant();
        int[] counts = new int[5];
        long afterApp = 0;
        List<RotationSchedules.Schedule> page;
        do {
            page = schedules.activeSchedules(afterApp, pageSize);
            if (page.isEmpty()) {
                break;
            }
            afterApp = page.get(page.size() - 1).applicationId();
            checkApplications(page, now, counts);
        } while (page.size() == pageSize);
        Instant cutoff = now.minus(properties.deleteExpiredAfter());
        long afterKey = 0;
        List<ApiKey> expired;
        do {
            expired = keys.liveExpiredBefore(cutoff, afterKey, pageSize);
            for (ApiKey key : expired) {
                count(counts, deleteExpired(key.id(), now), 3);
                afterKey = key.id();
            }
        } while (expired.size() == pageSize);
        return new Outcome(counts[0], counts[1], counts[2], counts[3], counts[4]);
    }

    /** Tests: a smaller page, so a few applications span several pages ({@link #PAGE} again after). */
    void pageSize(int size) {
        pageSize = size;
    }

    /** Scheduled rotations, then reminders, for one page of ACTIVE applications (decommissioned ones get neither). */
    private void checkApplications(List<RotationSchedules.Schedule> page, Instant now, int[] counts) {
        Map<Long, List<ApiKey>> working = new LinkedHashMap<>();
        for (ApiKeys.OfApplication k : keys.workingOfApplications(page.stream()
                .map(RotationSchedules.Schedule::applicationId).toList())) {
            working.computeIfAbsent(k.applicationId(), id -> new ArrayList<>()).add(k.key());
        }
        for (RotationSchedules.Schedule schedule : page) {
            List<ApiKey> appKeys = working.getOrDefault(schedule.applicationId(), List.of());
            if (schedule.effective().on() && !appKeys.isEmpty()) {
                count(counts, rotateIfDue(schedule, appKeys.get(0), now), 0);
            }
        }
        for (Map.Entry<Long, List<ApiKey>> app : working.entrySet()) {
            List<ApiKey> appKeys = app.getValue();
            for (int i = 0; i < appKeys.size(); i++) {
                ApiKey key = appKeys.get(i);
                boolean replaced = appKeys.subList(0, i).stream()
                        .anyMatch(newer -> newer.expiresAt().isAfter(key.expiresAt()));
                if (key.status() == KeyStatus.ACTIVE && !replaced) {
                    Optional<Duration> due = ExpiryRules.reminderDue(key.createdAt(), key.expiresAt(),
                            properties.remindBefore(), now);
                    if (due.isPresent()) {
                        count(counts, remindIfNotReplaced(app.getKey(), key, due.get(), now), 1);
                    }
                }
            }
        }
    }

    /**
     * Counts a step's result: done in {@code slot} (0 rotations, 1 reminders, 3 deletions), a reminder another node
     * sent first in 2, a failure in 4. A rotation or deletion another node did first counts as nothing here.
     */
    private static void count(int[] counts, Result result, int slot) {
        switch (result) {
            case DONE -> counts[slot]++;
            case LOST -> {
                if (slot == 1) {
                    counts[2]++;
                }
            }
            case FAILED -> counts[4]++;
            case SKIPPED -> {
                // nothing due, or being replaced
            }
        }
    }

    // --- 1. scheduled rotation

    private Result rotateIfDue(RotationSchedules.Schedule schedule, ApiKey newest, Instant now) {
        if (newest.status() != KeyStatus.ACTIVE) {
            return Result.SKIPPED; // the newest key waits for its reveal: it is the replacement already
        }
        Duration every = Duration.ofDays(schedule.effective().days());
        Optional<ExpiryRules.RotationDue> due = ExpiryRules.rotationDue(newest.createdAt(), newest.expiresAt(), every,
                overlap, properties.rotationMargin(), now);
        if (due.isEmpty() || events.happened(newest.id(), ExpiryEvents.ROTATION_STARTED)) {
            return Result.SKIPPED;
        }
        long appId = schedule.applicationId();
        if (rotations.open(appId).isPresent()) {
            return Result.SKIPPED;
        }
        String reason = "Scheduled rotation (every " + schedule.effective().name() + ")";
        String why = due.get() == ExpiryRules.RotationDue.AGE
                ? "key " + newest.prefix() + "… is " + Duration.between(newest.createdAt(), now).toDays()
                        + " days old"
                : "key " + newest.prefix() + "… expires on " + day(newest.expiresAt());
        try {
            Optional<Long> rotation = transactions.execute(status -> {
                // Claimed first: a second node blocks here, then fails on the constraint without starting anything.
                events.claim(newest.id(), ExpiryEvents.ROTATION_STARTED, now, reason + "; " + why);
                Optional<Long> started = rotations.startBySystem(appId, Rotations.Trigger.SCHEDULED, reason,
                        "schedule");
                // Not started (the rotation says why in its audit): the claim stays, so the schedule does not try
                // again for this key every hour; its owner is reminded instead, as no rotation is open.
                events.note(newest.id(), ExpiryEvents.ROTATION_STARTED, reason + "; " + why + "; "
                        + started.map(id -> "rotation " + id).orElse("could not start"));
                return started;
            });
            if (rotation != null && rotation.isPresent()) {
                log.info("Application {}: scheduled rotation {} started ({})", appId, rotation.get(), why);
                return Result.DONE;
            }
            log.info("Application {}: scheduled rotation due ({}) but could not start", appId, why);
            return Result.SKIPPED;
        } catch (DuplicateKeyException lost) {
            return Result.LOST;
        } catch (RuntimeException e) {
            log.warn("Application {}: scheduled rotation not started, tried again next time: {}", appId,
                    e.getMessage());
            return Result.FAILED;
        }
    }

    // --- 2. reminders

    private Result remindIfNotReplaced(long applicationId, ApiKey key, Duration before, Instant now) {
        String event = ExpiryEvents.REMIND + ExpiryRules.reminderName(before);
        if (events.happened(key.id(), event) || rotations.open(applicationId).isPresent()) {
            return Result.SKIPPED;
        }
        try {
            remind(applicationId, key, before, now);
            return Result.DONE;
        } catch (DuplicateKeyException lost) {
            return Result.LOST; // another node sent it first; this one's notification was rolled back
        } catch (RuntimeException e) {
            log.warn("Reminder for key {} not sent, tried again next time: {}", key.id(), e.getMessage());
            return Result.FAILED;
        }
    }

    /**
     * Sends one reminder: the row that claims it, the owner's in-app notification and the mail in the outbox, in one
     * transaction (joining the caller's, if any).
     *
     * @throws DuplicateKeyException when this reminder of this key was sent already (nothing is sent again)
     */
    void remind(long applicationId, ApiKey key, Duration before, Instant now) {
        transactions.executeWithoutResult(status -> {
            Application app = applications.load(applicationId);
            String unit = units.find(app.businessUnitId()).map(BusinessUnit::displayName).orElse("");
            String event = ExpiryEvents.REMIND + ExpiryRules.reminderName(before);
            events.claim(key.id(), event, now, "to " + app.owner() + "; key " + key.prefix() + "… expires on "
                    + day(key.expiresAt()));
            String title = texts.text("expiry.remind.title", key.prefix(), app.displayName(),
                    left(key.expiresAt(), now));
            String body = texts.text("expiry.remind.body", key.prefix(), app.displayName(), unit,
                    day(key.expiresAt()), properties.deleteExpiredAfter().toDays());
            notifier.notify(List.of(app.owner()), title, body, "applications/" + applicationId);
            notifier.chat(app.businessUnitId(), title, body, "applications/" + applicationId, null);
        });
    }

    /** "7 days", "1 day", "5 hours": what is left, rounded to whole days from 23 hours on, else to hours. */
    private String left(Instant expires, Instant now) {
        Duration left = Duration.between(now, expires);
        long days = Math.round(left.toHours() / 24.0);
        if (left.compareTo(Duration.ofHours(23)) >= 0) {
            return texts.text(days == 1 ? "expiry.left.day" : "expiry.left.days", days);
        }
        return texts.text("expiry.left.hours", Math.max(1, Math.round(left.toMinutes() / 60.0)));
    }

    // --- 3. deleting expired keys

    private Result deleteExpired(long keyId, Instant now) {
        try {
            Boolean deleted = transactions.execute(status -> {
                ApiKey key = keys.lock(keyId).orElse(null);
                if (key == null || !key.status().live()
                        || !ExpiryRules.deleteDue(key.expiresAt(), properties.deleteExpiredAfter(), now)) {
                    return false; // deleted (or revoked) by someone else meanwhile
                }
                try {
                    credentials.deleteServiceCredential(key.iamUser(), key.credentialId());
                } catch (CloudException e) {
                    if (e.kind() != CloudException.Kind.NOT_FOUND) {
                        throw e;
                    }
                    // AWS no longer has it: deleted all the same.
                }
                String reason = texts.text("expiry.deleted.reason", day(key.expiresAt()),
                        properties.deleteExpiredAfter().toDays());
                keys.markDeletedInAws(key.id(), key.status(), reason, ACTOR);
                events.claim(key.id(), ExpiryEvents.DELETED, now, reason);
                audit.record(ACTOR, AUDIT_KEY_DELETED_EXPIRED, "key:" + key.id(), "key " + key.prefix() + "… of "
                        + key.iamUser() + " (credential " + key.credentialId() + "), expired " + key.expiresAt()
                        + ", " + key.status().name() + " → DELETED; deleted in AWS to free its slot");
                String owner = applications.ownerOfIamUser(key.iamUser()).orElse(key.requester());
                if (owner != null) {
                    String unit = units.find(key.businessUnitId()).map(BusinessUnit::displayName).orElse("");
                    notifier.notify(List.of(owner), texts.text("expiry.deleted.title", key.prefix(), unit),
                            texts.text("expiry.deleted.body", key.prefix(), unit, day(key.expiresAt()), reason),
                            "keys/" + key.id());
                }
                return true;
            });
            if (Boolean.TRUE.equals(deleted)) {
                log.info("Expired key {} deleted in AWS", keyId);
                return Result.DONE;
            }
            return Result.SKIPPED;
        } catch (DuplicateKeyException lost) {
            return Result.LOST;
        } catch (RuntimeException e) {
            log.warn("Expired key {} not deleted yet, tried again next time: {}", keyId, e.getMessage());
            return Result.FAILED;
        }
    }

    // --- the key page

    /**
     * The key's expiry timeline: reminders sent, the scheduled rotation started, the deletion after expiry. For the
     * key page, which has checked that the user may see the key.
     */
    @Transactional(readOnly = true)
    public List<TimelineEntry> timeline(long keyId) {
        return events.of(keyId).stream().map(e -> new TimelineEntry(e.at(), e.event(), e.detail())).toList();
    }

    /** A day and time in a notification or record: UTC, said so (a mail has no time zone of its reader). */
    static String day(Instant instant) {
        return DAY.format(instant.atOffset(ZoneOffset.UTC));
    }
}
