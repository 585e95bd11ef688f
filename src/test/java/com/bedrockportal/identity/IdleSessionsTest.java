package com.bedrockportal.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.bedrockportal.testsupport.MutableClock;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
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

    private void request(String query) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/");
        request.setQueryString(query);
        request.setSession(session);
        session.setAttribute(org.springframework.security.web.context.HttpSessionSecurityContextRepository
                .SPRING_SECURITY_CONTEXT_KEY, new org.springframework.security.core.context.SecurityContextImpl(
                        new org.springframework.security.authentication.TestingAuthenticationToken("alice", "x")));
        filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain());
    }
}
