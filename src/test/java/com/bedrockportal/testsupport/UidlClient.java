package com.bedrockportal.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One user of the portal at the HTTP level, as a browser's Vaadin client would be: it logs in through the real
 * OpenID Connect redirect and the login provider's form (with its CSRF field), opens the UI ({@code ?v-r=init}) and
 * navigates by sending Vaadin's {@code ui-navigate} event over UIDL requests with the UI's CSRF token, the last
 * server sync id and the next client id. Cookies are kept per host, not per port, as a browser keeps them. It opens
 * no push connection, so every change comes back in the UIDL response. Not thread-safe: one per user.
 */
public final class UidlClient {

    private static final Pattern LOGIN_CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern SECURITY_KEY = Pattern.compile("\"Vaadin-Security-Key\":\"([^\"]+)\"");
    private static final Pattern UI_ID = Pattern.compile("\"v-uiId\":(\\d+)");
    private static final Pattern SYNC_ID = Pattern.compile("\"syncId\":(-?\\d+)");
    private static final Pattern CLIENT_ID = Pattern.compile("^for\\(;;\\);\\[\\{\"clientId\":(\\d+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final String base;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String csrfToken;
    private int uiId;
    private int syncId;
    private int clientId;
    private int historyIndex;

    /** A UIDL or login answer a browser would show as an error (status, session expired, application error). */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** {@code http} may be shared by many users (it keeps no cookies); {@code base} e.g. http://localhost:8080. */
    public UidlClient(HttpClient http, String base) {
        this.http = http;
        this.base = base;
    }

    /** An HTTP/1.1 client for many users, as browsers speak to the portal. */
    public static HttpClient sharedHttp() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Logs in as a browser does (portal, redirect to the login provider, its form, back with the code) and opens
     * the UI: the bootstrap's init request, then the first navigation to where the login landed. Returns that
     * navigation's UIDL answer.
     */
    public String login(String username, String password) throws IOException, InterruptedException {
        Answer page = follow(send(get(base + "/")));
        Matcher field = LOGIN_CSRF.matcher(page.body);
        if (!field.find()) {
            throw new Refused("no login form at " + page.uri + " (HTTP " + page.status + ")");
        }
        page = follow(send(HttpRequest.newBuilder(page.uri).timeout(TIMEOUT).header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form(Map.of(
                        "username", username, "password", password, "_csrf", field.group(1)))))));
        if (page.status != 200 || !page.uri.toString().startsWith(base)) {
            throw new Refused("login as " + username + " ended at " + page.uri + " with HTTP " + page.status);
        }
        String query = page.uri.getRawQuery() == null ? "" : page.uri.getRawQuery();
        String path = page.uri.getRawPath().replaceFirst("^/", "");
        Answer init = send(get(base + "/?v-r=init&location=" + path + "&query=" + URLEncoder.encode(query,
                StandardCharsets.UTF_8)));
        Matcher key = SECURITY_KEY.matcher(init.body);
        Matcher ui = UI_ID.matcher(init.body);
        if (init.status != 200 || !key.find() || !ui.find()) {
            throw new Refused("the UI did not open (HTTP " + init.status + ")");
        }
        csrfToken = key.group(1);
        uiId = Integer.parseInt(ui.group(1));
        syncId = lastSyncId(init.body, 0);
        clientId = 0;
        return uidl(navigation(path.isEmpty() ? "/" : path, query, ""));
    }

    /** Navigates to {@code route} (no leading slash) as a click on a router link does; returns the UIDL answer. */
    public String navigate(String route) throws IOException, InterruptedException {
        return uidl(navigation(route, "", "client"));
    }

    /** True when the answer attaches an element with this id (what the browser would then show). */
    public static boolean shows(String answer, String elementId) {
        return Pattern.compile("\"key\":\"id\",\"feat\":\\d+,\"value\":\"" + Pattern.quote(elementId) + "\"")
                .matcher(answer).find();
    }

    private String navigation(String route, String query, String trigger) {
        return "{\"type\":\"event\",\"node\":1,\"event\":\"ui-navigate\",\"data\":{\"route\":\"" + route
                + "\",\"query\":\"" + query + "\",\"appShellTitle\":\"\",\"historyState\":{\"idx\":"
                + historyIndex++ + "},\"trigger\":\"" + trigger + "\"}}";
    }

    /** One UIDL request with these RPC invocations; the answer's client and sync ids are kept for the next. */
    private String uidl(String rpc) throws IOException, InterruptedException {
        String body = "{\"csrfToken\":\"" + csrfToken + "\",\"rpc\":[" + rpc + "],\"syncId\":" + syncId
                + ",\"clientId\":" + clientId + "}";
        Answer answer = send(HttpRequest.newBuilder(URI.create(base + "/?v-r=uidl&v-uiId=" + uiId)).timeout(TIMEOUT)
                .header("Content-Type", "application/json; charset=UTF-8").POST(HttpRequest.BodyPublishers.ofString(
                        body)));
        Matcher next = CLIENT_ID.matcher(answer.body);
        if (answer.status != 200 || !next.find()) {
            throw new Refused("UIDL answered HTTP " + answer.status + ": " + abbreviate(answer.body));
        }
        if (answer.body.contains("\"appError\"") || answer.body.contains("\"sessionExpired\"")) {
            throw new Refused("UIDL answered an error: " + abbreviate(answer.body));
        }
        clientId = Integer.parseInt(next.group(1));
        syncId = lastSyncId(answer.body, syncId);
        return answer.body;
    }

    private static int lastSyncId(String body, int otherwise) {
        Matcher m = SYNC_ID.matcher(body);
        int last = otherwise;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    private record Answer(URI uri, int status, String body, String location) {
    }

    private HttpRequest.Builder get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT).GET();
    }

    /** Follows redirects as a browser does after a GET or a form POST (as GETs), at most ten. */
    private Answer follow(Answer answer) throws IOException, InterruptedException {
        for (int hops = 0; answer.location != null; hops++) {
            if (hops == 10) {
                throw new Refused("too many redirects, last to " + answer.location);
            }
            answer = send(get(answer.uri.resolve(answer.location).toString()));
        }
        return answer;
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String set : response.headers().allValues("set-cookie")) {
            String pair = set.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                if (value.isEmpty() || set.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
        }
        int status = response.statusCode();
        String location = status / 100 == 3 ? response.headers().firstValue("location").orElse(null) : null;
        return new Answer(response.uri(), status, response.body(), location);
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(f -> URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
