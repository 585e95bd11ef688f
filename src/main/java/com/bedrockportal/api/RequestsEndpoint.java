package com.bedrockportal.api;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.identity.ApiProperties;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.DataClassification;
import com.bedrockportal.request.RequestDraft;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.request.TimelineEntry;
import com.bedrockportal.shared.FieldErrors;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Requests through the API: submitted with the form's validation and messages ({@link RequestService#submit}), and
 * read with their status and timeline as far as the caller may see them.
 */
@RestController
@Tag(name = "Requests", description = "Request Bedrock access for an application, or a change to one")
@SecurityRequirement(name = ApiDocs.BEARER)
class RequestsEndpoint {

    /** The longest Idempotency-Key accepted. */
    static final int KEY_MAX = 128;

    /** A request as the API takes it: the form's fields by the same names. */
    @Schema(description = "A new application's request (kind NEW) or a change to one of the unit's applications "
            + "(kind CHANGE with applicationId; its name and slug are taken from the application when left out).")
    record NewRequest(
            @Schema(example = "1") Long businessUnitId,
            @Schema(example = "NEW") AccessRequest.Kind kind,
            Long applicationId,
            boolean newKey,
            @Schema(example = "Campaign drafts") String applicationName,
            @Schema(example = "campaign-drafts") String applicationSlug,
            @Schema(example = "Drafts social posts from the campaign calendar for review by the team.") String purpose,
            @Schema(example = "[\"amazon.nova-lite-v1:0\"]") List<String> models,
            @Schema(example = "[\"us-east-1\"]") List<String> regions,
            @Schema(example = "[\"203.0.113.0/24\"]") List<String> sourceCidrs,
            @Schema(example = "30") Integer lifetimeDays,
            @Schema(example = "200") BigDecimal monthlyBudget,
            @Schema(example = "80") Integer alertThreshold,
            @Schema(example = "[\"team@example.com\"]") List<String> alertEmails,
            boolean storeSecret,
            boolean shortTermOnly,
            @Schema(example = "alice@example.com") String ownerEmail,
            @Schema(example = "INTERNAL") DataClassification dataClassification,
            String guardrailArn,
            Integer requestsPerDay,
            Integer inputTokensPerRequest,
            Integer outputTokensPerRequest) {
    }

    /** A request as the API shows it. */
    record RequestView(long id, String status, String kind, long businessUnitId, Long applicationId,
            String applicationSlug, String applicationName, String requester, List<String> models,
            List<String> regions, List<String> sourceCidrs, int lifetimeDays, BigDecimal monthlyBudget,
            boolean shortTermOnly, Instant createdAt, Instant updatedAt, List<TimelineEntry> timeline) {

        static RequestView of(AccessRequest r, List<TimelineEntry> timeline) {
            return new RequestView(r.id(), r.status().name(), r.kind().name(), r.businessUnitId(), r.applicationId(),
                    r.applicationSlug(), r.applicationName(), r.requester(), r.models(), r.regions(), r.sourceCidrs(),
                    r.lifetimeDays(), r.monthlyBudget(), r.shortTermOnly(), r.createdAt(), r.updatedAt(), timeline);
        }
    }

    /** A request in a list: what it is and where it stands; its timeline is read by id. */
    record RequestRow(long id, String status, String kind, long businessUnitId, Long applicationId,
            String applicationSlug, String applicationName, Instant createdAt, Instant updatedAt) {

        static RequestRow of(AccessRequest r) {
            return new RequestRow(r.id(), r.status().name(), r.kind().name(), r.businessUnitId(), r.applicationId(),
                    r.applicationSlug(), r.applicationName(), r.createdAt(), r.updatedAt());
        }
    }

    private final RequestService requests;
    private final ApplicationService applications;
    private final CurrentUser currentUser;
    private final JdbcClient jdbc;
    private final ApiProperties properties;
    private final ObjectMapper json;
    private final Clock clock;

    RequestsEndpoint(RequestService requests, ApplicationService applications, CurrentUser currentUser, JdbcClient jdbc,
            ApiProperties properties, ObjectMapper json, Clock clock) {
        this.requests = requests;
        this.applications = applications;
        this.currentUser = currentUser;
        this.jdbc = jdbc;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    @PostMapping("/api/v1/requests")
    @Operation(summary = "Submit a request", description = "Validated like the form; 201 with the request. The same "
            + "Idempotency-Key with the same body answers 200 with the request it created; with another body 409.")
    @Transactional
    ResponseEntity<RequestView> submit(
            @Parameter(description = "A unique value per intended request (at most 128 characters), so a retried "
                    + "call creates nothing twice") @RequestHeader(name = "Idempotency-Key") String idempotencyKey,
            @RequestBody NewRequest body) {
        String caller = currentUser.get().orElseThrow().username();
        String key = idempotencyKey.strip();
        if (key.isEmpty() || key.length() > KEY_MAX) {
            throw FieldErrors.of("Idempotency-Key", "Give an Idempotency-Key of 1 to " + KEY_MAX + " characters.");
        }
        String hash = sha256(body);
        Instant now = clock.instant();
        jdbc.sql("delete from api_idempotency where created_at < :cutoff")
                .param("cutoff", now.minus(properties.idempotencyTtl()).atOffset(ZoneOffset.UTC)).update();
        Optional<Stored> earlier = jdbc.sql("""
                select body_sha256, request_id from api_idempotency where caller = :c and idem_key = :k""")
                .param("c", caller).param("k", key)
                .query((rs, i) -> new Stored(rs.getString(1), rs.getLong(2))).optional();
        if (earlier.isPresent()) {
            if (!MessageDigest.isEqual(earlier.get().bodySha256().getBytes(StandardCharsets.US_ASCII),
                    hash.getBytes(StandardCharsets.US_ASCII))) {
                throw new ApiProblems.Conflict("This Idempotency-Key was used for a different request body.");
            }
            return ResponseEntity.ok(view(earlier.get().requestId()));
        }
        try {
            // The key's row first: a second call with this key at the same moment waits here for this one's commit,
            // and then fails here, before it submits anything.
            jdbc.sql("""
                    insert into api_idempotency (caller, idem_key, body_sha256, request_id, created_at)
                    values (:c, :k, :h, 0, :now)""")
                    .param("c", caller).param("k", key).param("h", hash).param("now", now.atOffset(ZoneOffset.UTC))
                    .update();
        } catch (org.springframework.dao.DuplicateKeyException e) {
            throw new ApiProblems.Conflict("A call with the same Idempotency-Key is in progress; retry it.");
        }
        AccessRequest created = requests.submit(draft(body, caller, key, now));
        jdbc.sql("update api_idempotency set request_id = :r where caller = :c and idem_key = :k")
                .param("r", created.id()).param("c", caller).param("k", key).update();
        return ResponseEntity.status(HttpStatus.CREATED)
                .location(java.net.URI.create("/api/v1/requests/" + created.id()))
                .body(RequestView.of(created, requests.timeline(created.id())));
    }

    @GetMapping("/api/v1/requests")
    @Operation(summary = "The caller's own requests, newest first", description = "As My requests shows them, a page "
            + "at a time (offset; limit, at most and by default the smaller of 200 and portal.api.max-page-size). "
            + "Optional status: PENDING_MANAGER, PENDING_SECURITY, APPROVED, REJECTED, EXPIRED, WITHDRAWN, "
            + "PROVISIONING, PROVISIONED, PROVISIONING_FAILED (any case); any other is refused with 400.")
    List<RequestRow> mine(@RequestParam(required = false) String status,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(required = false) Integer limit) {
        RequestStatus wanted = null;
        if (status != null) {
            String name = status.length() > 32 ? "" : status.strip().toUpperCase(java.util.Locale.ROOT);
            wanted = java.util.Arrays.stream(RequestStatus.values()).filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> FieldErrors.of("status", "Unknown status: use one of "
                            + java.util.Arrays.toString(RequestStatus.values()) + "."));
        }
        int most = Math.min(RequestService.MAX_MINE, properties.maxPageSize());
        return requests.mine(wanted, offset, limit == null ? most : Math.max(1, Math.min(limit, most))).stream()
                .map(RequestRow::of).toList();
    }

    @GetMapping("/api/v1/requests/{id}")
    @Operation(summary = "A request's status and timeline", description = "Its requester, the unit's managers, "
            + "security and admins; anyone else gets 404, as for an id that does not exist.")
    RequestView find(@PathVariable long id) {
        return view(id);
    }

    private RequestView view(long id) {
        AccessRequest r = requests.find(id).orElseThrow(() -> new ApiProblems.NotFound("No request " + id + "."));
        return RequestView.of(r, requests.timeline(id));
    }

    private record Stored(String bodySha256, long requestId) {
    }

    /** The form's draft from the body; a change without name or slug takes its application's. */
    private RequestDraft draft(NewRequest b, String caller, String key, Instant firstUse) {
        RequestDraft d = new RequestDraft();
        // One submission key per first use of the Idempotency-Key (64 characters at most): while its row lives the row
        // answers; once the row has expired, the same key makes a new request, as a new key would.
        d.setSubmissionKey("api:" + sha256Hex((caller + "\n" + key + "\n" + firstUse).getBytes(StandardCharsets.UTF_8))
                .substring(0, 60));
        d.setBusinessUnitId(b.businessUnitId());
        d.setKind(b.kind() == null ? AccessRequest.Kind.NEW : b.kind());
        d.setApplicationId(b.applicationId());
        d.setNewKey(b.newKey());
        String name = b.applicationName();
        String slug = b.applicationSlug();
        if (d.isChange() && b.applicationId() != null && (blank(name) || blank(slug))) {
            Optional<Application> app = applications.find(b.applicationId());
            name = blank(name) ? app.map(Application::displayName).orElse("") : name;
            slug = blank(slug) ? app.map(Application::slug).orElse("") : slug;
        }
        d.setApplicationName(name == null ? "" : name);
        d.setApplicationSlug(slug == null ? "" : slug);
        d.setPurpose(b.purpose() == null ? "" : b.purpose());
        d.setModels(b.models());
        d.setRegions(b.regions());
        d.setSourceCidrs(b.sourceCidrs() == null ? "" : String.join("\n", b.sourceCidrs()));
        d.setLifetimeDays(b.lifetimeDays());
        d.setMonthlyBudget(b.monthlyBudget());
        if (b.alertThreshold() != null) {
            d.setAlertThreshold(b.alertThreshold());
        }
        d.setAlertEmails(b.alertEmails() == null ? "" : String.join(", ", b.alertEmails()));
        d.setStoreSecret(b.storeSecret());
        d.setShortTermOnly(b.shortTermOnly());
        d.setOwnerEmail(b.ownerEmail() == null ? "" : b.ownerEmail());
        if (b.dataClassification() != null) {
            d.setDataClassification(b.dataClassification());
        }
        // Left out of a change: the change keeps its application's guardrail (an empty text removes it).
        d.setGuardrailArn(b.guardrailArn() == null ? (d.isChange() ? null : "") : b.guardrailArn());
        d.setRequestsPerDay(b.requestsPerDay());
        d.setInputTokensPerRequest(b.inputTokensPerRequest());
        d.setOutputTokensPerRequest(b.outputTokensPerRequest());
        return d;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private String sha256(NewRequest body) {
        try {
            return sha256Hex(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request body not hashable", e);
        }
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
