package com.bedrockportal.shared;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.bedrockportal.testsupport.E2ESupport;
import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.server.VaadinSession;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.websocket.Session;

import org.apache.coyote.AbstractProtocol;
import org.apache.tomcat.util.net.NioEndpoint;
import org.atmosphere.cpr.AtmosphereResource;
import org.atmosphere.cpr.AtmosphereResourceImpl;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An open page's push connection (issue 16, {@link PushConnections}): Chromium offers permessage-deflate and the
 * portal declines it, the connection still carries Atmosphere's messages, and the websocket the server holds for the
 * page keeps 1 KB buffers where Vaadin's default gave it 16 KB ones, Tomcat's message buffers of 1 KB where its
 * default gave 8 KB and 8 K characters, and Tomcat's frame buffers of 2 KB where its default gave 8 KB; Tomcat
 * keeps no buffers of closed connections; and a page left alone keeps only its push connection.
 */
class PushConnectionsE2E extends E2ESupport {

    @Autowired
    ServletContext servletContext;

    @Autowired
    ServletWebServerApplicationContext webServer;

    @Test
    void thePushWebsocketOfAnOpenPageIsUncompressedAndKeepsSmallBuffers() {
        CDPSession cdp = context.newCDPSession(page);
        Map<String, JsonObject> offered = new ConcurrentHashMap<>();
        Map<String, JsonObject> answered = new ConcurrentHashMap<>();
        List<String> frames = new CopyOnWriteArrayList<>();
        List<String> received = new CopyOnWriteArrayList<>();
        cdp.on("Network.webSocketWillSendHandshakeRequest", e -> offered.put(e.get("requestId").getAsString(),
                e.getAsJsonObject("request").getAsJsonObject("headers")));
        cdp.on("Network.webSocketHandshakeResponseReceived", e -> answered.put(e.get("requestId").getAsString(),
                e.getAsJsonObject("response")));
        cdp.on("Network.webSocketFrameReceived", e -> {
            frames.add(e.get("requestId").getAsString());
            received.add(e.getAsJsonObject("response").get("payloadData").getAsString());
        });
        cdp.send("Network.enable");

        loginAs("alice");

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !answered.isEmpty() && !frames.isEmpty());
        String push = answered.keySet().iterator().next();
        assertThat(header(offered.get(push), "Sec-WebSocket-Extensions")).as("what Chromium offered")
                .contains("permessage-deflate");
        JsonObject response = answered.get(push);
        assertThat(response.get("status").getAsInt()).isEqualTo(101);
        assertThat(header(response.getAsJsonObject("headers"), "Sec-WebSocket-Extensions")).as("what the portal agreed")
                .isNull();
        assertThat(frames).as("messages received over the uncompressed push connection").contains(push);

        // The server's side of the same connection: Atmosphere's WebSocket with 1 KB buffers.
        List<AtmosphereResource> open = openPushConnections();
        assertThat(open).isNotEmpty().allSatisfy(r -> {
            Object webSocket = ((AtmosphereResourceImpl) r).webSocket();
            assertThat(((ByteBuffer) ReflectionTestUtils.getField(webSocket, "bb")).capacity()).isEqualTo(1024);
            assertThat(((CharBuffer) ReflectionTestUtils.getField(webSocket, "cb")).capacity()).isEqualTo(1024);
            // Tomcat's side: small message buffers (8 KB and 8 K characters by default), Vaadin's message limit.
            Session session = (Session) ReflectionTestUtils.getField(webSocket, "session");
            assertThat(session.getMaxTextMessageBufferSize()).as("largest text message accepted").isEqualTo(16384);
            Object frame = ReflectionTestUtils.getField(session, "wsFrame");
            assertThat(((ByteBuffer) ReflectionTestUtils.getField(frame, "messageBufferBinary")).capacity())
                    .isEqualTo(1024);
            assertThat(((CharBuffer) ReflectionTestUtils.getField(frame, "messageBufferText")).capacity())
                    .isEqualTo(1024);
            // Tomcat's frame buffers: what arrives, what is sent, what is encoded (8 KB each by default).
            assertThat(((ByteBuffer) ReflectionTestUtils.getField(frame, "inputBuffer")).capacity()).isEqualTo(2048);
            Object remote = ReflectionTestUtils.getField(session, "wsRemoteEndpoint");
            assertThat(((ByteBuffer) ReflectionTestUtils.getField(remote, "outputBuffer")).capacity())
                    .isEqualTo(2048);
            assertThat(((ByteBuffer) ReflectionTestUtils.getField(remote, "encoderBuffer")).capacity())
                    .isEqualTo(2048);
        });

        // A push message four times the frame buffers arrives whole: the server sends it in several frames.
        String text = "pushed " + "x".repeat(4 * 2048);
        push(vaadinSession(open.get(0)), "push-probe", text);
        assertThat(page.locator("#push-probe").textContent()).isEqualTo(text);
        assertThat(received).as("messages received over the push connection").anySatisfy(m -> assertThat(m)
                .contains(text));
    }

    @Test
    void anIdlePageKeepsOnlyItsPushConnection() {
        NioEndpoint endpoint = endpoint();

        loginAs("alice");
        page.navigate(BASE + "/keys");
        page.locator("#keys-grid").waitFor();
        // Tomcat's count includes the slot its acceptor holds for the next connection.
        long whileActive = endpoint.getConnectionCount() - 1;

        assertThat(whileActive).as("connections while the page loads").isGreaterThan(1);
        // After the keep-alive timeout (15 s) only the push websocket is left, and it still carries messages.
        Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> endpoint.getConnectionCount() - 1, n -> n == 1);
        String text = "still pushed after the idle connections closed";
        openPushConnections().stream().map(PushConnectionsE2E::vaadinSession).distinct().forEach(vaadin -> push(
                vaadin, "idle-probe", text));
        assertThat(page.locator("#idle-probe").textContent()).isEqualTo(text);
        assertThat(endpoint.getConnectionCount() - 1).as("connections after the push").isEqualTo(1);
    }

    private List<AtmosphereResource> openPushConnections() {
        return PushConnections.frameworks(servletContext).stream().flatMap(a -> a.getAtmosphereConfig()
                .resourcesFactory().findAll().stream()).filter(r -> r instanceof AtmosphereResourceImpl impl && impl
                        .webSocket() != null).toList();
    }

    private NioEndpoint endpoint() {
        AbstractProtocol<?> protocol = (AbstractProtocol<?>) ((TomcatWebServer) webServer.getWebServer()).getTomcat()
                .getConnector().getProtocolHandler();
        return (NioEndpoint) ReflectionTestUtils.invokeMethod(protocol, "getEndpoint");
    }

    /** Adds a text with {@code id} to every page of the session, from outside a request: Vaadin pushes it. */
    private static void push(VaadinSession vaadin, String id, String text) {
        vaadin.access(() -> vaadin.getUIs().forEach(ui -> {
            Span probe = new Span(text);
            probe.setId(id);
            ui.add(probe);
        }));
    }

    private static VaadinSession vaadinSession(AtmosphereResource push) {
        HttpSession http = push.session(false);
        return Collections.list(http.getAttributeNames()).stream().map(http::getAttribute)
                .filter(VaadinSession.class::isInstance).map(VaadinSession.class::cast).findFirst().orElseThrow();
    }

    @Test
    void tomcatKeepsNoBuffersOfClosedConnections() {
        NioEndpoint endpoint = endpoint();

        loginAs("alice");

        assertThat(endpoint.getConnectionCount()).as("the browser's open connections").isPositive();
        assertThat(endpoint.getSocketProperties().getActualBufferPool(0)).as("closed channels kept").isZero();
        assertThat((Object) ReflectionTestUtils.invokeMethod(endpoint, "getNioChannels"))
                .as("the cache of closed channels").isNull();
    }

    private static String header(JsonObject headers, String name) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(h -> h.getValue()
                .getAsString()).findFirst().orElse(null);
    }
}
