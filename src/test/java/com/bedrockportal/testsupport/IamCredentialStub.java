package com.bedrockportal.testsupport;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * IAM's service-specific credential operations (which moto lacks), answered in IAM's query/XML shape from the API
 * reference, with the rules that matter: at most two per service per user, CredentialAgeDays 1–36600, status,
 * expiry. Keys are generated at run time; nothing here is a real credential.
 */
public class IamCredentialStub implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "iam-service-specific-credentials";
    private static final String NS = "https://iam.amazonaws.com/doc/2010-05-08/";

    private record Credential(String id, String user, String service, String status, Instant created,
            Instant expires) {
    }

    private final Map<String, Credential> credentials = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        Map<String, String> form = parse(event.getRequest().getBodyAsString());
        String action = form.get("Action");
        String user = form.get("UserName");
        return switch (action) {
            case "CreateServiceSpecificCredential" -> create(user, form.get("ServiceName"),
                    Integer.parseInt(form.getOrDefault("CredentialAgeDays", "36600")));
            case "ListServiceSpecificCredentials" -> ok(action, "<ServiceSpecificCredentials>"
                    + String.join("", credentials.values().stream()
                            .filter(c -> c.user().equals(user) && (form.get("ServiceName") == null
                                    || c.service().equals(form.get("ServiceName"))))
                            .sorted((a, b) -> a.created().compareTo(b.created()))
                            .map(c -> "<member>" + metadata(c) + "</member>").toList())
                    + "</ServiceSpecificCredentials>");
            case "UpdateServiceSpecificCredential" -> update(user, form.get("ServiceSpecificCredentialId"),
                    form.get("Status"));
            case "DeleteServiceSpecificCredential" -> {
                Credential removed = credentials.remove(form.get("ServiceSpecificCredentialId"));
                yield removed == null ? error(404, "NoSuchEntity", "No such credential") : ok(action, "");
            }
            default -> error(400, "InvalidAction", "not stubbed: " + action);
        };
    }

    private ResponseDefinition create(String user, String service, int ageDays) {
        if (ageDays < 1 || ageDays > 36600) {
            return error(400, "ValidationError", "1 validation error detected: Value '" + ageDays
                    + "' at 'credentialAgeDays' failed to satisfy constraint: Member must have value between 1 and 36600");
        }
        long existing = credentials.values().stream().filter(c -> c.user().equals(user) && c.service().equals(service))
                .count();
        if (existing >= 2) {
            return error(409, "LimitExceeded",
                    "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2");
        }
        Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Credential c = new Credential("ACCA" + UUID.randomUUID().toString().replace("-", "").substring(0, 17)
                .toUpperCase(), user, service, "Active", created, created.plus(ageDays, ChronoUnit.DAYS));
        credentials.put(c.id(), c);
        String key = newKey();
        return ok("CreateServiceSpecificCredential", "<ServiceSpecificCredential>" + metadata(c)
                + "<ServiceCredentialSecret>" + key + "</ServiceCredentialSecret></ServiceSpecificCredential>");
    }

    /** A new key shaped as AWS gives a Bedrock API key ({@code ABSK} and 96 random bytes in base64), made now. */
    public static String newKey() {
        byte[] raw = new byte[96];
        RANDOM.nextBytes(raw);
        return "ABSK" + Base64.getEncoder().encodeToString(raw);
    }

    private ResponseDefinition update(String user, String id, String status) {
        Credential c = credentials.get(id);
        if (c == null || !c.user().equals(user)) {
            return error(404, "NoSuchEntity", "No such credential " + id);
        }
        credentials.put(id, new Credential(c.id(), c.user(), c.service(), status, c.created(), c.expires()));
        return ok("UpdateServiceSpecificCredential", "");
    }

    private static String metadata(Credential c) {
        return "<UserName>" + c.user() + "</UserName><Status>" + c.status() + "</Status><ServiceUserName>"
                + c.user() + "-at-123456789012</ServiceUserName><CreateDate>" + c.created() + "</CreateDate>"
                + "<ExpirationDate>" + c.expires() + "</ExpirationDate><ServiceSpecificCredentialId>" + c.id()
                + "</ServiceSpecificCredentialId><ServiceName>" + c.service() + "</ServiceName>"
                + "<ServiceCredentialAlias>" + c.user() + "-at-123456789012</ServiceCredentialAlias>";
    }

    private static ResponseDefinition ok(String action, String result) {
        String body = "<" + action + "Response xmlns=\"" + NS + "\">" + (result.isEmpty() ? ""
                : "<" + action + "Result>" + result + "</" + action + "Result>")
                + "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata></" + action
                + "Response>";
        return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder().withStatus(200)
                .withHeader("Content-Type", "text/xml").withBody(body).build();
    }

    private static ResponseDefinition error(int status, String code, String message) {
        String body = "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>" + code + "</Code><Message>"
                + message + "</Message></Error><RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>";
        return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder().withStatus(status)
                .withHeader("Content-Type", "text/xml").withBody(body).build();
    }

    private static Map<String, String> parse(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

}
