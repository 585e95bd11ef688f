package com.bedrockportal.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;

/**
 * A second, independent OIDC provider for tests: NAV's mock-oauth2-server (Maven Central) started as its own Java
 * process, with its interactive login form (a user name and the claims, as JSON, to put in the tokens). Its classpath
 * is resolved by the build into {@code target/mock-idp.classpath} (see pom.xml). Any path is an issuer:
 * {@code http://localhost:<port>/corp}.
 */
public final class MockIdp implements AutoCloseable {

    private final Process process;
    private final int port;

    private MockIdp(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the provider on a free port and waits until it serves its discovery document. */
    public static MockIdp start() throws IOException {
        Path classpath = Path.of("target", "mock-idp.classpath");
        if (!Files.exists(classpath)) {
            throw new IllegalStateException(classpath + " is missing: run the tests with `mvn verify`, whose "
                    + "pre-integration-test step resolves the mock OIDC provider's classpath");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-cp", Files.readString(classpath).strip(),
                "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "mock-idp.log").toFile());
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("JSON_CONFIG", "{\"interactiveLogin\":true}");
        MockIdp idp = new MockIdp(builder.start(), port);
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(HttpRequest
                .newBuilder(URI.create(idp.issuer() + "/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return idp;
    }

    public String issuer() {
        return "http://localhost:" + port + "/corp";
    }

    @Override
    public void close() {
        process.destroy();
    }
}
