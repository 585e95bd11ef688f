package com.bedrockportal.identity;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.bedrockportal.testsupport.MutableClock;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;

import static org.assertj.core.api.Assertions.assertThat;

/** An open tab's heartbeats do not keep a session alive; what the user does does. */
class IdleSessionsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"));
    private final List<Object> events = new ArrayList<>();
    private final IdleSessions.IdleSessionFilter filter = new IdleSessions.IdleSessionFilter(Duration.ofMinutes(30),
            clock, events::add);
    private final MockHttpSession session = new MockHttpSession();

    @Test
    void heartbeatsAloneEndTheSessionAfterTheIdleTimeout() throws Exception {
        request("v-r=uidl&v-uiId=0");
        for (int minute = 5; minute <= 30; minute += 5) {
            clock.advance(Duration.ofMinutes(5));
            request("v-r=heartbeat&v-uiId=0");
            assertThat(session.isInvalid()).as("after %d min", minute).isFalse();
        }
        clock.advance(Duration.ofMinutes(1));
        request("v-r=heartbeat&v-uiId=0");
        assertThat(session.isInvalid()).isTrue();
        assertThat(events).singleElement().isInstanceOfSatisfying(SecurityEvents.SessionExpired.class,
                e -> assertThat(e.username()).isEqualTo("alice"));
    }

    @Test
    void whatTheUserDoesKeepsTheSessionAlive() throws Exception {
        request(null);
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofMinutes(20));
            request(i % 2 == 0 ? "v-r=uidl&v-uiId=0" : null);
        }
        assertThat(session.isInvalid()).isFalse();
        assertThat(events).isEmpty();
    }

    static final String POLL = "{\"csrfToken\":\"t\",\"rpc\":[{\"type\":\"event\",\"node\":1,\"event\":\"ui-poll\","
            + "\"data\":{}}],\"syncId\":4,\"clientId\":4}";
    static final String CLICK_AND_POLL = "{\"csrfToken\":\"t\",\"rpc\":[{\"type\":\"event\",\"node\":1,"
            + "\"event\":\"ui-poll\",\"data\":{}},{\"type\":\"event\",\"node\":42,\"event\":\"click\","
            + "\"data\":{}}],\"syncId\":5,\"clientId\":5}";

    @Test
    void aPageThatOnlyPollsForProgressEndsTheSessionAfterTheIdleTimeoutAndItsMessagesReachVaadinWhole()
            throws Exception {
        request("v-r=uidl&v-uiId=0");
        for (int i = 1; i <= 15; i++) {
            clock.advance(Duration.ofMinutes(2));
            assertThat(request("v-r=uidl&v-uiId=0", POLL)).isEqualTo(POLL);
            request("v-r=push&v-uiId=0&X-Atmosphere-Transport=long-polling", null);
        }
        clock.advance(Duration.ofMinutes(1));
        request("v-r=uidl&v-uiId=0", POLL);
        assertThat(session.isInvalid()).isTrue();
        assertThat(events).singleElement().isInstanceOf(SecurityEvents.SessionExpired.class);
    }

    @Test
    void aClickSentWithAPollCounts() throws Exception {
        request("v-r=uidl&v-uiId=0");
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(request("v-r=uidl&v-uiId=0", CLICK_AND_POLL)).isEqualTo(CLICK_AND_POLL);
        }
        assertThat(session.isInvalid()).isFalse();
    }

    @Test
    void onlyAMessageOfPollsAloneIsNoActivity() {
        assertThat(IdleSessions.IdleSessionFilter.pollOnly(POLL.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(IdleSessions.IdleSessionFilter.pollOnly(CLICK_AND_POLL.getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(IdleSessions.IdleSessionFilter.pollOnly("{\"rpc\":[]}".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(IdleSessions.IdleSessionFilter.pollOnly("not json".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    private void request(String query) throws Exception {
        request(query, null);
    }

    /** Sends a request (with {@code body}, if any) through the filter; returns the body the chain read. */
    private String request(String query, String body) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/");
        if (body != null) {
            request.setContent(body.getBytes(StandardCharsets.UTF_8));
            request.setContentType("application/json; charset=UTF-8");
        }
        request.setQueryString(query);
        request.setSession(session);
        session.setAttribute(org.springframework.security.web.context.HttpSessionSecurityContextRepository
                .SPRING_SECURITY_CONTEXT_KEY, new org.springframework.security.core.context.SecurityContextImpl(
                        new org.springframework.security.authentication.TestingAuthenticationToken("alice", "x")));
        String[] read = new String[1];
        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
            if (body != null) {
                read[0] = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
        });
        return read[0];
    }
}
