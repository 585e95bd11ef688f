package com.bedrockportal.api;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import com.bedrockportal.alerts.Alert;
import com.bedrockportal.alerts.Alerts;
import com.bedrockportal.audit.AuditActions;
import com.bedrockportal.audit.AuditEntry;
import com.bedrockportal.audit.AuditFilter;
import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.identity.ApiProperties;
import com.bedrockportal.identity.CurrentUser;

import jakarta.servlet.http.HttpServletResponse;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Alerts (security, admins, managers) and the audit log's query and CSV export (security, admins). */
@RestController
@Tag(name = "Alerts and audit")
@SecurityRequirement(name = ApiDocs.BEARER)
class OversightEndpoint {

    record AlertView(long id, String rule, String severity, String status, String title, Long applicationId,
            String application, String businessUnit, Long keyId, String keyPrefix, Instant firstSeenAt,
            Instant lastSeenAt, int occurrences, String action, String actedBy, Instant actedAt) {

        static AlertView of(Alert a) {
            return new AlertView(a.id(), a.rule().name(), a.severity().name(), a.status().name(), a.title(),
                    a.applicationId(), a.application(), a.businessUnit(), a.keyId(), a.keyPrefix(), a.firstSeenAt(),
                    a.lastSeenAt(), a.occurrences(), a.action() == null ? null : a.action().name(), a.actedBy(),
                    a.actedAt());
        }
    }

    record AuditRow(long seq, Instant at, String actor, String action, String target, String details, String hash) {

        static AuditRow of(AuditEntry e) {
            return new AuditRow(e.seq(), e.occurredAt(), e.actor(), e.action(), e.target(), e.details(), e.hash());
        }
    }

    private final Alerts alerts;
    private final AuditLog audit;
    private final CurrentUser currentUser;
    private final ApiProperties properties;

    OversightEndpoint(Alerts alerts, AuditLog audit, CurrentUser currentUser, ApiProperties properties) {
        this.alerts = alerts;
        this.audit = audit;
        this.currentUser = currentUser;
        this.properties = properties;
    }

    @GetMapping("/api/v1/alerts")
    @Operation(summary = "Alerts, newest first", description = "Security, admins and managers (their units'). "
            + "Optional filters: status (OPEN, ACTED, DISMISSED), severity (LOW … CRITICAL).")
    List<AlertView> alerts(@RequestParam(required = false) Alert.Status status,
            @RequestParam(required = false) Alert.Severity severity) {
        return alerts.list(new Alerts.Filter(status, severity, null)).stream().limit(properties.maxPageSize())
                .map(AlertView::of).toList();
    }

    @GetMapping("/api/v1/audit")
    @Operation(summary = "Audit log rows, newest first", description = "Security and admins. Filters as on the "
            + "Audit log page: actor and target as substrings, action exactly, from inclusive, to exclusive.")
    List<AuditRow> audit(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
            @RequestParam(required = false) String target,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        int size = Math.max(1, Math.min(limit, properties.maxPageSize()));
        return audit.find(new AuditFilter(actor, action, target, from, to), Math.max(0, offset), size).stream()
                .map(AuditRow::of).toList();
    }

    @GetMapping(path = "/api/v1/audit/export", produces = "text/csv")
    @Operation(summary = "Audit log rows as CSV", description = "Security and admins; the same filters. Streamed "
            + "page by page; the export itself is audited.")
    void export(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
            @RequestParam(required = false) String target,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            HttpServletResponse response) throws IOException {
        AuditFilter filter = new AuditFilter(actor, action, target, from, to);
        // The role check runs before the first byte is written (count is SECURITY/ADMIN like the export).
        audit.count(filter);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"audit-log.csv\"");
        audit.record(currentUser.get().orElseThrow().username(), AuditActions.AUDIT_EXPORTED, "audit-log", "via API; filter "
                + filter);
        audit.exportCsv(filter, response.getOutputStream());
    }
}
