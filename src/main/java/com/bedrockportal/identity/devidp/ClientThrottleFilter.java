package com.bedrockportal.identity.devidp;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The login form's progressive delay ({@link LoginThrottle}) for clients' secrets at the endpoints that take them
 * (token, introspection, revocation): each wrong secret of a client id is reported as a failed login of
 * {@code client:<id>} and makes that client's next attempts wait longer, up to the cap, after which an attempt is
 * refused (429, {@code Retry-After}) without the secret being checked. Per client id only: the form's per-address
 * count is left to people. Until 6 December a client's secret could be guessed here at full speed and unrecorded.
 */
final class ClientThrottleFilter extends ThrottledAttempts {

    static final Set<String> PATHS = Set.of("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke");
    static final String PREFIX = "client:";

    ClientThrottleFilter(LoginThrottle throttle, EmbeddedIdpSettings.LoginListener listener) {
        super(throttle, listener);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod()) && PATHS.contains(request.getServletPath()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = clientId(request);
        if (client == null) {
            chain.doFilter(request, response);
            return;
        }
        String name = PREFIX + client;
        LoginThrottle.Admission admission = admit(name, null, response);
        if (admission == null) {
            return;
        }
        if (admission.refused()) {
            listener.attempt(name, request.getRemoteAddr(), false,
                    "refused without checking the secret: too many wrong secrets for this client");
            response.setStatus(429);
            response.setHeader("Retry-After", "60");
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"invalid_client\",\"error_description\":"
                    + "\"Too many wrong secrets for this client: wait, then try again.\"}");
            return;
        }
        chain.doFilter(request, response);
        // The authorization server answers a client it could not authenticate with 401 (invalid_client).
        if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
            throttle.failed(name, null);
            listener.attempt(name, request.getRemoteAddr(), false,
                    "wrong client secret at the embedded login provider's " + request.getServletPath());
        } else if (response.getStatus() < 400) {
            throttle.succeeded(name);
        }
    }

    /** The client id a request authenticates as: HTTP Basic (its parts form-encoded, RFC 6749 2.3.1) or client_id. */
    static String clientId(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                String id = URLDecoder.decode(colon < 0 ? decoded : decoded.substring(0, colon), StandardCharsets.UTF_8);
                return id.isBlank() || id.length() > 200 ? null : id;
            } catch (IllegalArgumentException e) {
                return null; // not Base64 or not form-encoded: the server refuses it as it would
            }
        }
        String id = request.getParameter("client_id");
        return id == null || id.isBlank() || id.length() > 200 ? null : id;
    }
}
