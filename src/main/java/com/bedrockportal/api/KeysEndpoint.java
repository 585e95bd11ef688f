package com.bedrockportal.api;

import java.time.Instant;
import java.util.List;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.application.RotationSchedules;
import com.bedrockportal.identity.ApiProperties;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.KeyInventory;
import com.bedrockportal.lifecycle.Compromises;
import com.bedrockportal.lifecycle.KeyActions;
import com.bedrockportal.lifecycle.Rotations;
import com.bedrockportal.shared.FieldErrors;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Applications and keys through the API: listed as the pages list them (keys by their first 12 characters, never a
 * key), and the key page's actions — disable, revoke, report compromised — and rotation, each with a reason, through
 * the same services and their checks of role and unit.
 */
@RestController
@Tag(name = "Applications and keys")
@SecurityRequirement(name = ApiDocs.BEARER)
class KeysEndpoint {

    record ApplicationView(long id, long businessUnitId, String slug, String name, String owner, String status,
            List<String> models, List<String> regions, List<String> sourceCidrs, int lifetimeDays,
            java.math.BigDecimal monthlyBudget, boolean shortTermOnly, String iamUser) {

        static ApplicationView of(Application a) {
            Application.Access x = a.access();
            return new ApplicationView(a.id(), a.businessUnitId(), a.slug(), a.displayName(), a.owner(),
                    a.status().name(), x.models(), x.regions(), x.sourceCidrs(), x.lifetimeDays(), x.monthlyBudget(),
                    a.shortTermOnly(), a.names().iamUser());
        }
    }

    record KeyView(long id, @Schema(description = "The key's first 12 characters; the key itself is never returned",
            example = "ABSKQmVkcm9j") String prefix, String status, String businessUnit, String iamUser,
            long requestId, Instant createdAt, Instant expiresAt, long daysLeft, Instant revealedAt,
            String revealedBy) {

        static KeyView of(KeyInventory.Row r) {
            return new KeyView(r.keyId(), r.prefix(), r.status(), r.businessUnit(), r.iamUser(), r.requestId(),
                    r.createdAt(), r.expiresAt(), r.daysLeft(), r.revealedAt(), r.revealedBy());
        }
    }

    record Reason(@Schema(description = "Why (required, at most 500 characters)", example = "Laptop lost")
            String reason) {
    }

    record RotationStarted(long rotationId, long applicationId) {
    }

    record CaseOpened(long caseId, long keyId, String status) {
    }

    record RotationView(long applicationId,
            @Schema(description = "The application's own setting, or UNIT when it follows its unit's default",
                    example = "P30D") String rotateEvery,
            @Schema(description = "What applies: the own setting, else the unit's default (OFF: no scheduled "
                    + "rotation)", example = "P30D") String effective,
            String unitDefault,
            @Schema(description = "How a rotation hands over the new key, as set: REVEAL or SECRETS_MANAGER")
            String rotationDelivery,
            @Schema(description = "How the next rotation hands it over: SECRETS_MANAGER only while the application "
                    + "keeps a Secrets Manager copy") String effectiveDelivery,
            boolean keepsCopy,
            @Schema(description = "Whether the caller may change it (the owner while a member of the unit, the "
                    + "unit's managers, security)") boolean mayChange) {

        static RotationView of(RotationSchedules.Schedule s, boolean mayChange) {
            return new RotationView(s.applicationId(), s.choice(), s.effective().name(), s.unitDefault().name(),
                    s.delivery().name(), s.effectiveDelivery().name(), s.keepsCopy(), mayChange);
        }
    }

    record RotationChange(
            @Schema(description = "Required: UNIT (follow the unit's default), P7D, P30D, P60D, P90D or OFF",
                    example = "P30D") String rotateEvery,
            @Schema(description = "Optional (omitted keeps it): REVEAL, or SECRETS_MANAGER for an application that "
                    + "keeps a Secrets Manager copy", example = "REVEAL") String rotationDelivery) {
    }

    private final ApplicationService applications;
    private final RotationSchedules schedules;
    private final KeyInventory inventory;
    private final KeyActions actions;
    private final Rotations rotations;
    private final Compromises compromises;
    private final ApiProperties properties;
    private final java.time.Clock clock;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final com.bedrockportal.identity.CurrentUser currentUser;

    KeysEndpoint(ApplicationService applications, RotationSchedules schedules, KeyInventory inventory,
            KeyActions actions, Rotations rotations, Compromises compromises, ApiProperties properties,
            java.time.Clock clock, org.springframework.context.ApplicationEventPublisher events,
            com.bedrockportal.identity.CurrentUser currentUser) {
        this.clock = clock;
        this.events = events;
        this.currentUser = currentUser;
        this.schedules = schedules;
        this.applications = applications;
        this.inventory = inventory;
        this.actions = actions;
        this.rotations = rotations;
        this.compromises = compromises;
        this.properties = properties;
    }

    @GetMapping("/api/v1/applications")
    @Operation(summary = "The applications the caller may see", description = "Requesters and managers: their "
            + "units'; security and admins: all. By unit and slug, a page at a time (offset; limit, at most and by "
            + "default portal.api.max-page-size).")
    List<ApplicationView> applications(@RequestParam(defaultValue = "0") int offset,
            @RequestParam(required = false) Integer limit) {
        int size = Math.max(1, Math.min(limit == null ? properties.maxPageSize() : limit, properties.maxPageSize()));
        return applications.visible(offset, size).stream().map(ApplicationView::of).toList();
    }

    @GetMapping("/api/v1/keys")
    @Operation(summary = "The keys the caller may see, newest first", description = "Each by its first 12 "
            + "characters only. Optional filters: applicationId, status (pending_reveal, active, expired, inactive, "
            + "revoked, deleted; any other is refused with 400).")
    List<KeyView> keys(@RequestParam(required = false) Long applicationId,
            @RequestParam(required = false) String status, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "50") int limit) {
        if (status != null && (status.length() > 32 || !KeyInventory.knownStatus(status))) {
            // An unknown status is refused, never ignored: a caller acting on the answer must get what it asked for.
            throw FieldErrors.of("status", "Unknown status: use one of pending_reveal, active, expired, inactive, "
                    + "revoked, deleted.");
        }
        int size = Math.max(1, Math.min(limit, properties.maxPageSize()));
        return inventory.list(new KeyInventory.Filter(null, status, applicationId), KeyInventory.Sort.CREATED_DESC,
                Math.max(0, offset), size).stream().map(KeyView::of).toList();
    }

    @PostMapping("/api/v1/keys/{id}/disable")
    @Operation(summary = "Disable a key at once (security can re-enable it)")
    KeyView disable(@PathVariable long id, @RequestBody Reason body) {
        visible(id);
        actions.disable(id, body.reason());
        return row(id);
    }

    @PostMapping("/api/v1/keys/{id}/revoke")
    @Operation(summary = "Revoke a key: disabled and deleted in AWS")
    KeyView revoke(@PathVariable long id, @RequestBody Reason body) {
        visible(id);
        actions.revoke(id, body.reason());
        return row(id);
    }

    @PostMapping("/api/v1/keys/{id}/compromise")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Report a key compromised", description = "Opens a case and disables the key at once.")
    CaseOpened compromise(@PathVariable long id, @RequestBody Reason body) {
        visible(id);
        var opened = compromises.report(id, body.reason());
        return new CaseOpened(opened.id(), id, opened.status().name());
    }

    @PostMapping("/api/v1/applications/{id}/rotate")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Start a rotation of the application's key", description = "A new key is made; its owner "
            + "reveals it in the browser (or, where the application page sets it, it goes straight into the "
            + "application's Secrets Manager copy and nobody reveals it), then the old one is disabled and deleted.")
    RotationStarted rotate(@PathVariable long id, @RequestBody Reason body) {
        application(id);
        return new RotationStarted(rotations.rotate(id, body.reason()), id);
    }

    @GetMapping("/api/v1/applications/{id}/rotation")
    @Operation(summary = "The application's scheduled rotation", description = "As the application page shows it: "
            + "how often its key is rotated and how a rotation hands over the new key.")
    RotationView rotation(@PathVariable long id) {
        Application app = application(id);
        return RotationView.of(schedules.of(app), schedules.mayChange(app));
    }

    @PutMapping("/api/v1/applications/{id}/rotation")
    @Operation(summary = "Change the application's scheduled rotation", description = "As on the application page: "
            + "audited with before and after; the owner is told when someone else changed it. An unknown choice, or "
            + "SECRETS_MANAGER for an application without a copy, is refused with 400 beside its field and nothing "
            + "changes; 403 for a caller who may see the application but not change it; 409 when it is not active.")
    RotationView changeRotation(@PathVariable long id, @RequestBody RotationChange body) {
        application(id);
        RotationSchedules.Schedule after = schedules.change(id, body.rotateEvery(), body.rotationDelivery());
        return RotationView.of(after, true);
    }

    /**
     * The application, if the caller may see it; 404 otherwise, as for no application, and one that exists is
     * recorded as a refusal (as the key routes' rule records one).
     */
    private Application application(long id) {
        return applications.find(id).orElseThrow(() -> {
            if (applications.exists(id)) {
                events.publishEvent(new com.bedrockportal.identity.SecurityEvents.AccessDenied(
                        currentUser.usernameOrAnonymous(), "api application:" + id));
            }
            return new ApiProblems.NotFound("No application " + id + ".");
        });
    }

    /** The key page's rule of who may see a key (it records the denial); 404 otherwise, as for no key. */
    private void visible(long keyId) {
        actions.page(keyId).orElseThrow(() -> new ApiProblems.NotFound("No key " + keyId + "."));
    }

    /** The key as it is after the action. */
    private KeyView row(long keyId) {
        KeyActions.KeyPage page = actions.page(keyId).orElseThrow();
        ApiKey k = page.key();
        long daysLeft = Math.max(0, java.time.Duration.between(clock.instant(), k.expiresAt()).toDays());
        return new KeyView(k.id(), k.prefix(), k.status().name().toLowerCase(java.util.Locale.ROOT),
                page.businessUnit(), k.iamUser(), k.requestId(), k.createdAt(), k.expiresAt(), daysLeft,
                k.revealedAt(), k.revealedBy());
    }
}
