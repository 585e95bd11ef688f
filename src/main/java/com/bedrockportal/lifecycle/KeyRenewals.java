package com.bedrockportal.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.application.KeyRenewal;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.key.KeyInventory;
import com.bedrockportal.key.KeyStatus;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Renew: the reminder's way to a new key. Offered when an application's key runs out by itself — its newest key
 * expires within the reminder period ({@code portal.keys.remind-before}'s longest, P7D), has expired, or was deleted
 * by the expiry watch after its expiry while it still worked — and no other key of the application outlives that
 * period. Not for a key a person disabled or revoked (even once the expiry watch has deleted it): a new key then is a decision for security, through a change request. The application's
 * owner (a member of its unit) renews; the request is a change with the application's same access and a new key
 * with its lifetime, which the unit's manager alone approves ({@link RequestService#renew}).
 */
@Service
class KeyRenewals implements KeyRenewal {

    private final ApplicationService applications;
    private final ApiKeys keys;
    private final RequestService requests;
    private final BusinessUnitService units;
    private final CurrentUser currentUser;
    private final ExpiryWatchProperties properties;
    private final FormValidation texts;
    private final Clock clock;

    KeyRenewals(ApplicationService applications, ApiKeys keys, RequestService requests, BusinessUnitService units,
            CurrentUser currentUser, ExpiryWatchProperties properties, FormValidation texts, Clock clock) {
        this.applications = applications;
        this.keys = keys;
        this.requests = requests;
        this.units = units;
        this.currentUser = currentUser;
        this.properties = properties;
        this.texts = texts;
        this.clock = clock;
    }

    @Override
    @PermitAll
    @Transactional(readOnly = true)
    public Optional<Offer> offer(long applicationId) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        Optional<Application> app = applications.find(applicationId);
        if (app.isEmpty() || app.get().status() != Application.Status.ACTIVE) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<ApiKey> key = runningOut(app.get(), now);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        Optional<AccessRequest> open = requests.openRequestOf(applicationId);
        ApiKey k = key.get();
        return Optional.of(new Offer(k.id(), k.prefix(), k.expiresAt(),
                k.status() == KeyStatus.DELETED || KeyInventory.expired(k.status(), k.expiresAt(), now),
                open.isEmpty() && mayRenew(me, app.get()),
                open.filter(AccessRequest::renewal).map(AccessRequest::id).orElse(null)));
    }

    @Override
    @RolesAllowed(PortalRole.REQUESTER_ROLE)
    @Transactional
    public long renew(long applicationId, String submissionKey) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        Application app = applications.find(applicationId)
                .orElseThrow(() -> new Refused(texts.text("renewal.refused.notFound")));
        if (!mayRenew(me, app)) {
            throw new Refused(texts.text("renewal.refused.ownerOnly", app.owner()));
        }
        if (app.status() != Application.Status.ACTIVE) {
            throw new Refused(texts.text("renewal.refused.notActive"));
        }
        ApiKey key = runningOut(app, clock.instant()).orElseThrow(() -> new Refused(texts.text(
                "renewal.refused.notRunningOut", window().toDays())));
        refuseWhileOpen(applicationId);
        try {
            return requests.renew(applicationId, submissionKey, texts.text("renewal.purpose", key.prefix(),
                    ExpiryWatch.day(key.expiresAt()))).id();
        } catch (FieldErrors refused) {
            // A request for the application submitted at the same moment, which committed first: said as above.
            refuseWhileOpen(applicationId);
            // The application's access no longer passes a request's rules (a model withdrawn from the catalog, …):
            // nothing was stored; a change request through the form fixes it.
            throw new Refused(texts.text("renewal.refused.rules", String.join(" ", refused.errors().values())));
        }
    }

    /** Refused while a request for the application is open: a renewal already, or another request. */
    private void refuseWhileOpen(long applicationId) {
        Optional<AccessRequest> open = requests.openRequestOf(applicationId);
        if (open.isPresent()) {
            throw new Refused(texts.text(open.get().renewal() ? "renewal.refused.alreadyOpen"
                    : "renewal.refused.otherOpen", open.get().id()));
        }
    }

    /**
     * The key of the application that runs out by itself, if it does: its newest key, working and expiring within the
     * renewal window (or expired), or deleted by the expiry watch after expiry — and no working key outlives the
     * window.
     */
    private Optional<ApiKey> runningOut(Application app, Instant now) {
        List<ApiKey> all = keys.ofApplication(app.id());
        if (all.isEmpty()) {
            return Optional.empty();
        }
        Instant horizon = now.plus(window());
        boolean outlived = all.stream().anyMatch(k -> (k.status() == KeyStatus.ACTIVE
                || k.status() == KeyStatus.PENDING_REVEAL) && k.expiresAt().isAfter(horizon));
        ApiKey newest = all.get(0);
        boolean runsOut = switch (newest.status()) {
            case ACTIVE, PENDING_REVEAL -> !newest.expiresAt().isAfter(horizon);
            // Deleted by the expiry watch after it ran out, not after a person (or a review, a compromise, its reveal
            // window) had disabled it: a new key then is security's decision, through a change request.
            case DELETED -> ExpiryWatch.ACTOR.equals(newest.statusChangedBy())
                    && newest.statusBefore() != KeyStatus.INACTIVE;
            case INACTIVE, REVOKED -> false;
        };
        return runsOut && !outlived ? Optional.of(newest) : Optional.empty();
    }

    /** Renew is offered from the first reminder on. */
    private Duration window() {
        Duration longest = properties.longestReminder();
        return longest.isZero() ? Duration.ofDays(7) : longest;
    }

    /** The application's owner, as a requester who belongs to its unit (a renewal is their request). */
    private boolean mayRenew(CurrentUser.Principal me, Application app) {
        return me.has(PortalRole.REQUESTER) && me.username().equals(app.owner()) && units.find(app.businessUnitId())
                .map(u -> u.members().contains(me.username())).orElse(false);
    }
}
