package com.bedrockportal.drift;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.drift.DriftRepository.Observed;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.UserDirectory;
import com.bedrockportal.notification.Notifier;
import com.bedrockportal.shared.FormValidation;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes what one run saw, in one transaction: an open identical finding is updated (last seen), a new one inserted
 * (unless security's last action on it left AWS exactly so), open findings the run could check but no longer saw
 * are resolved; the run's row and its audit summary; security is told of new findings.
 */
@Component
class DriftRecorder {

    private final DriftRepository repository;
    private final AuditLog audit;
    private final Notifier notifier;
    private final UserDirectory directory;
    private final FormValidation texts;
    private final Clock clock;

    DriftRecorder(DriftRepository repository, AuditLog audit, Notifier notifier, UserDirectory directory,
            FormValidation texts, Clock clock) {
        this.repository = repository;
        this.audit = audit;
        this.notifier = notifier;
        this.directory = directory;
        this.texts = texts;
        this.clock = clock;
    }

    @Transactional
    DriftService.Outcome record(List<Observed> seen, Predicate<String> settled, String triggeredBy, Instant started,
            int usersChecked, boolean truncated, int failedUsers, Duration readTook) {
        Instant now = clock.instant();
        Set<String> fingerprints = new HashSet<>();
        int added = 0;
        for (Observed o : seen) {
            if (!fingerprints.add(o.fingerprint())) {
                continue;
            }
            var open = repository.openId(o.fingerprint());
            if (open.isPresent()) {
                repository.seen(open.get(), o, now);
            } else if (!repository.settledBySecurity(o.fingerprint(), o.observed())) {
                repository.insert(o, now);
                added++;
            }
        }
        int resolved = 0;
        for (DriftFinding f : repository.open()) {
            if (!fingerprints.contains(fingerprint(f)) && settled.test(f.iamUser())
                    && repository.resolve(f.id(), DriftFinding.Resolution.AUTO, null, null, null, now)) {
                resolved++;
            }
        }
        int open = repository.countOpen();
        Instant finished = clock.instant();
        DriftService.Outcome outcome = new DriftService.Outcome(usersChecked, truncated, added, open, resolved,
                failedUsers, Duration.between(started, finished));
        repository.run(started, finished, triggeredBy, outcome);
        audit.record(triggeredBy, DriftService.AUDIT_CHECKED, "drift", "users under the path: " + usersChecked
                + (truncated ? " (more not checked: portal.drift.max-users)" : "") + ", new findings: " + added
                + ", resolved: " + resolved + ", open: " + open + ", users not readable: " + failedUsers
                + ", took " + outcome.took().toMillis() + " ms (AWS reads " + readTook.toMillis() + " ms)");
        if (added > 0) {
            List<String> security = directory.withRole(PortalRole.SECURITY).stream()
                    .map(UserDirectory.KnownUser::username).toList();
            notifier.notify(security, texts.text("drift.notify.title", added),
                    texts.text("drift.notify.body", added, open), "drift");
        }
        return outcome;
    }

    private static String fingerprint(DriftFinding f) {
        return f.kind().name() + ":" + f.iamUser() + ":" + f.resource();
    }
}
