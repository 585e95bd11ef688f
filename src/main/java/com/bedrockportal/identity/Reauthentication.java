package com.bedrockportal.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.web.savedrequest.SimpleSavedRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * "Log in again" before sensitive actions (revealing a key). The portal asks the IdP for {@code prompt=login} /
 * {@code max_age=0}, but an IdP may ignore that and answer from its single sign-on session. So a re-login counts as
 * fresh only if the ID token's {@code auth_time} says the user authenticated after the re-login was started
 * (allowing {@link #CLOCK_SKEW}) and within the caller's maximum age; the time recorded in the HTTP session is that
 * {@code auth_time}. A re-login the IdP did not confirm is refused: nothing is recorded, and the caller can tell the
 * user ({@link #takeRefusal()}). Silent SSO logins never count.
 */
@Component
public class Reauthentication {

    /** The HTTP session attribute holding the time of the last confirmed re-login (the ID token's auth_time). */
    public static final String SESSION_ATTRIBUTE = Reauthentication.class.getName() + ".at";
    /**
     * How far the IdP's clock may be from the portal's. {@code auth_time} comes from the IdP's clock and is compared
     * with the portal's; a few seconds absorb ordinary NTP drift without letting an old login pass as new.
     */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(5);
    static final String REQUEST_PARAMETER = "reauth";
    /** Authorization request attributes: when the re-login was started, and how old its login may be. */
    static final String STARTED_AT = Reauthentication.class.getName() + ".startedAt";
    static final String MAX_AGE = Reauthentication.class.getName() + ".maxAge";
    private static final String PENDING_MAX_AGE = Reauthentication.class.getName() + ".pendingMaxAge";
    private static final String REFUSED = Reauthentication.class.getName() + ".refused";
    private static final String SAVED_REQUEST = "SPRING_SECURITY_SAVED_REQUEST";

    /** Whether a completed re-login counts, and why not. */
    public record Verdict(boolean fresh, Instant authenticatedAt, String reason) {
        static Verdict fresh(Instant at) {
            return new Verdict(true, at, null);
        }

        static Verdict refused(String reason) {
            return new Verdict(false, null, reason);
        }
    }

    private final Clock clock;

    Reauthentication(Clock clock) {
        this.clock = clock;
    }

    /** Whether the user logged in again within {@code maxAge}. */
    public boolean isFresh(Duration maxAge) {
        HttpSession session = session(false);
        Object at = session == null ? null : session.getAttribute(SESSION_ATTRIBUTE);
        return at instanceof Instant instant && instant.plus(maxAge).isAfter(clock.instant());
    }

    /**
     * The URL that sends the user through the IdP's login again and then back to {@code returnPath}; the login
     * must be no older than {@code maxAge} when it completes.
     */
    public String start(String returnPath, Duration maxAge) {
        HttpServletRequest request = request();
        String base = request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort();
        HttpSession session = session(true);
        session.setAttribute(SAVED_REQUEST, new SimpleSavedRequest(base + "/" + returnPath));
        session.setAttribute(PENDING_MAX_AGE, maxAge);
        session.removeAttribute(REFUSED);
        return "/oauth2/authorization/" + OidcClientConfig.REGISTRATION_ID + "?" + REQUEST_PARAMETER + "=1";
    }

    /**
     * Why the last re-login was refused, once: the next call returns empty, so the next attempt starts a new
     * re-login.
     */
    public Optional<String> takeRefusal() {
        HttpSession session = session(false);
        if (session == null || !(session.getAttribute(REFUSED) instanceof String reason)) {
            return Optional.empty();
        }
        session.removeAttribute(REFUSED);
        return Optional.of(reason);
    }

    /** Marks the authorization request being sent to the IdP as a re-login started now. */
    void markStarted(OAuth2AuthorizationRequest.Builder authorizationRequest) {
        HttpSession session = session(false);
        Object maxAge = session == null ? null : session.getAttribute(PENDING_MAX_AGE);
        Instant now = clock.instant();
        authorizationRequest.attributes(a -> {
            a.put(STARTED_AT, now);
            if (maxAge instanceof Duration d) {
                a.put(MAX_AGE, d);
            }
        });
    }

    /**
     * A login completed. If it was a re-login, judges the ID token's {@code auth_time} and records the fresh login
     * or the refusal in the session; returns the verdict (empty for ordinary logins).
     */
    Optional<Verdict> completed(OAuth2AuthorizationRequest authorizationRequest, OidcIdToken idToken) {
        if (!(authorizationRequest.getAttribute(STARTED_AT) instanceof Instant startedAt)) {
            return Optional.empty();
        }
        Duration maxAge = authorizationRequest.getAttribute(MAX_AGE);
        Verdict verdict = judge(idToken.getAuthenticatedAt(), startedAt, maxAge, clock.instant());
        HttpSession session = session(true);
        session.removeAttribute(PENDING_MAX_AGE);
        if (verdict.fresh()) {
            session.setAttribute(SESSION_ATTRIBUTE, verdict.authenticatedAt());
            session.removeAttribute(REFUSED);
        } else {
            session.setAttribute(REFUSED, verdict.reason());
        }
        return Optional.of(verdict);
    }

    /**
     * Whether a re-login started at {@code startedAt} and completed {@code now} with this {@code auth_time} is
     * fresh: the user must have authenticated after the start and no longer than {@code maxAge} (if given) ago,
     * both give or take {@link #CLOCK_SKEW}. The fresh login's time is {@code auth_time}, at most {@code now}.
     */
    static Verdict judge(Instant authTime, Instant startedAt, Duration maxAge, Instant now) {
        if (authTime == null) {
            return Verdict.refused("the ID token carries no auth_time, so the time of the login is unknown");
        }
        if (authTime.isAfter(now.plus(CLOCK_SKEW))) {
            return Verdict.refused("the ID token's auth_time " + seconds(authTime) + " lies in the future (portal time "
                    + seconds(now) + ")");
        }
        if (authTime.isBefore(startedAt.minus(CLOCK_SKEW))) {
            return Verdict.refused("the ID token's auth_time " + seconds(authTime) + " is older than the re-login "
                    + "started at " + seconds(startedAt) + ": the provider reused an earlier login");
        }
        if (maxAge != null && authTime.isBefore(now.minus(maxAge).minus(CLOCK_SKEW))) {
            return Verdict.refused("the ID token's auth_time " + seconds(authTime) + " is more than " + maxAge + " old");
        }
        return Verdict.fresh(authTime.isAfter(now) ? now : authTime);
    }

    private static Instant seconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS);
    }

    private static HttpSession session(boolean create) {
        HttpServletRequest request = request();
        return request == null ? null : request.getSession(create);
    }

    /** The current request while the security filters handle it (they run outside Spring MVC). */
    private static final ThreadLocal<HttpServletRequest> SECURITY_REQUEST = new ThreadLocal<>();

    static jakarta.servlet.Filter requestExposingFilter() {
        return new org.springframework.web.filter.OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
                    jakarta.servlet.FilterChain chain) throws jakarta.servlet.ServletException, java.io.IOException {
                SECURITY_REQUEST.set(request);
                try {
                    chain.doFilter(request, response);
                } finally {
                    SECURITY_REQUEST.remove();
                }
            }
        };
    }

    /** Whether the login being started was asked for with {@code ?reauth=1}. */
    static boolean requested() {
        HttpServletRequest request = request();
        return request != null && request.getParameter(REQUEST_PARAMETER) != null;
    }

    /** The request the security filters are handling now, if any. */
    static HttpServletRequest currentRequest() {
        return request();
    }

    private static HttpServletRequest request() {
        if (SECURITY_REQUEST.get() != null) {
            return SECURITY_REQUEST.get();
        }
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }

}
