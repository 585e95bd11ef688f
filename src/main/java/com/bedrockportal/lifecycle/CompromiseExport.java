package com.bedrockportal.lifecycle;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.bedrockportal.provisioning.SpendReports;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * A case as CSV (one "section,field,value…" row per fact, event and day) or JSON, for the incident record. Names the
 * key by its first characters only: the portal never has more.
 */
public final class CompromiseExport {

    private CompromiseExport() {
    }

    /** The case's facts, in order, as the export shows them. */
    static Map<String, Object> facts(Compromises.CaseView v) {
        CompromiseCase c = v.c();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("case", c.id());
        f.put("status", c.status().name());
        f.put("keyPrefix", c.keyPrefix());
        f.put("iamUser", c.iamUser());
        f.put("businessUnit", v.unit());
        f.put("application", v.application());
        f.put("owner", v.owner());
        f.put("source", c.source().name());
        f.put("reportedBy", c.reportedBy());
        f.put("reason", c.reason());
        f.put("reportedAt", text(c.reportedAt()));
        f.put("disabledAt", text(c.disabledAt()));
        f.put("secondsToInactive", c.timeToInactive() == null ? null : c.timeToInactive().toMillis() / 1000.0);
        f.put("evidenceAt", text(c.evidenceAt()));
        f.put("trailNote", c.trailNote());
        f.put("spendNote", c.spendNote());
        f.put("spendLastPeriodUsd", v.last30());
        f.put("spendPreviousPeriodUsd", v.previous30());
        f.put("triageDecision", c.triageDecision() == null ? null : c.triageDecision().name());
        f.put("triageBy", c.triageBy());
        f.put("triageReason", c.triageReason());
        f.put("triageAt", text(c.triageAt()));
        f.put("reenabledAt", text(c.reenabledAt()));
        f.put("rotationId", c.rotationId());
        f.put("rotationNote", c.rotationNote());
        f.put("oldKeyDeletedAt", text(c.oldKeyDeletedAt()));
        f.put("reportDueAt", text(c.reportDueAt()));
        f.put("reportWhat", c.reportWhat());
        f.put("reportRootCause", c.reportRootCause());
        f.put("reportActions", c.reportActions());
        f.put("reportBy", c.reportBy());
        f.put("reportAt", text(c.reportAt()));
        f.put("escalatedAt", text(c.escalatedAt()));
        f.put("closedAt", text(c.closedAt()));
        return f;
    }

    public static void json(Compromises.CaseView v, OutputStream out) throws IOException {
        Map<String, Object> all = new LinkedHashMap<>(facts(v));
        List<Map<String, Object>> events = new ArrayList<>();
        for (Compromises.TrailRow e : v.events()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("time", text(e.time()));
            row.put("event", e.event());
            row.put("sourceIp", e.sourceIp());
            row.put("userAgent", e.userAgent());
            row.put("region", e.region());
            row.put("errorCode", e.errorCode());
            events.add(row);
        }
        all.put("cloudTrailEvents", events);
        List<Map<String, Object>> spend = new ArrayList<>();
        for (SpendReports.DailySpend d : v.spend()) {
            spend.add(Map.of("day", d.day().toString(), "usd", d.amountUsd()));
        }
        all.put("dailySpend", spend);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, all);
    }

    public static void csv(Compromises.CaseView v, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write("section,field,value,value2,value3,value4,value5\n");
        for (Map.Entry<String, Object> e : facts(v).entrySet()) {
            row(w, "case", e.getKey(), e.getValue() == null ? "" : e.getValue().toString());
        }
        for (Compromises.TrailRow e : v.events()) {
            row(w, "cloudtrail", text(e.time()), e.event(), e.sourceIp(), e.userAgent(), e.region(), e.errorCode());
        }
        for (SpendReports.DailySpend d : v.spend()) {
            row(w, "spend", d.day().toString(), d.amountUsd().toPlainString());
        }
        w.flush();
    }

    private static void row(Writer w, String... cells) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(cell(cells[i]));
        }
        w.write(line.append('\n').toString());
    }

    /** RFC 4180 quoting, and a leading quote before = + - @ so spreadsheets do not run a cell as a formula. */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String v = com.bedrockportal.shared.SpreadsheetCells.defuse(value);
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            v = "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
