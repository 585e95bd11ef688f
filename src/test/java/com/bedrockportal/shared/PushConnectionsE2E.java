package com.bedrockportal.shared;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.bedrockportal.testsupport.E2ESupport;
import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;

import jakarta.servlet.ServletContext;
import jakarta.websocket.Session;

import org.atmosphere.cpr.AtmosphereResource;
import org.atmosphere.cpr.AtmosphereResourceImpl;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An open page's push connection (issue 16, {@link PushConnections}): Chromium offers permessage-deflate and the
 * portal declines it, the connection still carries Atmosphere's messages, and the websocket the server holds for the
 * page keeps 1 KB buffers where Vaadin's default gave it 16 KB ones, and Tomcat's message buffers of 1 KB where its
 * default gave 8 KB and 8 K characters.
 */
class PushConnectionsE2E extends E2ESupport {

    @Autowired
    ServletContext servletContext;

    @Test
    void thePushWebsocketOfAnOpenPageIsUncompressedAndKeepsSmallBuffers() {
        CDPSession cdp = context.newCDPSession(page);
        Map<String, JsonObject> offered = new ConcurrentHashMap<>();
        Map<String, JsonObject> answered = new ConcurrentHashMap<>();
        List<String> frames = new CopyOnWriteArrayList<>();
        cdp.on("Network.webSocketWillSendHandshakeRequest", e -> offered.put(e.get("requestId").getAsString(),
                e.getAsJsonObject("request").getAsJsonObject("headers")));
        cdp.on("Network.webSocketHandshakeResponseReceived", e -> answered.put(e.get("requestId").getAsString(),
                e.getAsJsonObject("response")));
        cdp.on("Network.webSocketFrameReceived", e -> frames.add(e.get("requestId").getAsString()));
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
        List<AtmosphereResource> open = PushConnections.frameworks(servletContext).stream()
                .flatMap(a -> a.getAtmosphereConfig().resourcesFactory().findAll().stream())
                .filter(r -> r instanceof AtmosphereResourceImpl impl && impl.webSocket() != null).toList();
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
        });
    }

    private static String header(JsonObject headers, String name) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(h -> h.getValue()
                .getAsString()).findFirst().orElse(null);
    }
}
