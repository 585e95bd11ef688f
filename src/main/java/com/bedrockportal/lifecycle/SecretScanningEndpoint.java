package com.bedrockportal.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.bedrockportal.audit.RefusalAudit;
import com.bedrockportal.shared.Hmac;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Secret-scanning alerts (GitHub's partner format: a JSON array of {@code {"token", "type", "url", "source"}}),
 * authenticated by an HMAC-SHA256 of the raw body with {@code portal.compromise.scanner-secret}, sent as
 * {@code X-Signature-256: sha256=<hex>}. No secret configured: 404, as if the endpoint did not exist. A missing or
 * wrong signature: 401, audited. Bodies above {@code scanner-max-body} and more than {@code scanner-max-alerts} tokens
 * are refused whole (413). The answer gives one label per token, in order, and never the token. CSRF does not apply
 * here (no session, no cookie); the security configuration exempts this path alone.
 */
@RestController
class SecretScanningEndpoint {

    static final String PATH = "/api/v1/secret-scanning/alerts";
    static final String SIGNATURE_HEADER = "X-Signature-256";

    private final Compromises compromises;
    private final CompromiseProperties properties;
    private final RefusalAudit refusals;
    private final ObjectMapper json = new ObjectMapper();

    SecretScanningEndpoint(Compromises compromises, CompromiseProperties properties, RefusalAudit refusals) {
        this.compromises = compromises;
        this.properties = properties;
        this.refusals = refusals;
    }

    @PostMapping(path = PATH)
    ResponseEntity<Object> alerts(HttpServletRequest request) throws IOException {
        if (!properties.scannerEnabled()) {
            return ResponseEntity.notFound().build();
        }
        int max = (int) Math.min(Integer.MAX_VALUE, properties.scannerMaxBody().toBytes());
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(max + 1);
        }
        if (body.length > max) {
            refused(request, "body larger than " + max + " bytes");
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(Map.of("error", "body too large"));
        }
        if (!signed(body, request.getHeader(SIGNATURE_HEADER))) {
            refused(request, request.getHeader(SIGNATURE_HEADER) == null
                    ? "missing signature" : "bad signature");
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "bad signature"));
        }
        List<Compromises.ScannedToken> tokens;
        try {
            tokens = parse(body);
        } catch (IOException | IllegalArgumentException e) {
            // The parser's message may quote the body (a token): never pass it on.
            return ResponseEntity.badRequest().body(Map.of("error", "expected a JSON array of alerts with a token"));
        } finally {
            java.util.Arrays.fill(body, (byte) 0);
        }
        if (tokens.size() > properties.scannerMaxAlerts()) {
            tokens.forEach(t -> java.util.Arrays.fill(t.token(), '\0'));
            refused(request, "more than " + properties.scannerMaxAlerts()
                    + " alerts in one request");
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
                    .body(Map.of("error", "at most " + properties.scannerMaxAlerts() + " alerts per request"));
        }
        List<String> labels = compromises.reportScanned(tokens);
        List<Map<String, Object>> answer = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            answer.add(Map.of("index", i, "label", labels.get(i)));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer);
    }

    /** Audited (rate-limited: anyone can send a bad request). */
    private void refused(HttpServletRequest request, String why) {
        refusals.refused("secret-scanner", Compromises.AUDIT_SCANNER_REFUSED, "secret-scanning",
                request.getRemoteAddr(), why);
    }

    /** Constant-time comparison of {@code sha256=<hex>} with the body's HMAC. */
    boolean signed(byte[] body, String header) {
        return Hmac.matches(properties.scannerSecret(), body, header, "sha256=");
    }

    /**
     * Reads the array with the streaming parser, so each token becomes a char array (overwritten after the look-up)
     * and never an object tree or string the parser's errors could quote. Stops at one more alert than allowed.
     */
    private List<Compromises.ScannedToken> parse(byte[] body) throws IOException {
        List<Compromises.ScannedToken> tokens = new ArrayList<>();
        try (JsonParser p = json.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("not an array");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                char[] token = null;
                String type = null;
                String url = null;
                String source = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                        p.skipChildren();
                        continue;
                    }
                    if (value != JsonToken.VALUE_STRING) {
                        continue;
                    }
                    switch (field) {
                        case "token" -> token = java.util.Arrays.copyOfRange(p.getTextCharacters(),
                                p.getTextOffset(), p.getTextOffset() + p.getTextLength());
                        case "type" -> type = Compromises.capped(p.getText(), 100);
                        case "url" -> url = Compromises.capped(p.getText(), 500);
                        case "source" -> source = Compromises.capped(p.getText(), 100);
                        default -> {
                            // other fields are ignored
                        }
                    }
                }
                if (token == null) {
                    throw new IllegalArgumentException("an alert without a token");
                }
                tokens.add(new Compromises.ScannedToken(token, type, url, source));
                if (tokens.size() > properties.scannerMaxAlerts()) {
                    break;
                }
            }
        }
        return tokens;
    }
}
