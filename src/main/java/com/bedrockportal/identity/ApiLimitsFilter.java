package com.bedrockportal.identity;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.bedrockportal.shared.BodyLimit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The REST API's limits per caller, after authentication and before any work: a request body larger than
 * {@code portal.api.max-body} is refused (413): unread when its length is declared, once the limit is read when it
 * is not (chunked); and each user or client may make
 * {@code portal.api.requests-per-minute} calls per minute (a token bucket refilled continuously): the next one gets
 * 429 with {@code Retry-After} in seconds. Buckets of callers idle for a minute are dropped, so memory follows the
 * callers of the last minute.
 */
final class ApiLimitsFilter extends OncePerRequestFilter {

    private final ApiProperties properties;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile long lastSweep;

    ApiLimitsFilter(ApiProperties properties, Clock clock, ApplicationEventPublisher events) {
        this.properties = properties;
        this.clock = clock;
        this.events = events;
    }

    /** Tokens (calls) left and when it was last refilled; one per caller. */
    private static final class Bucket {
        private double tokens;
        private long refilledAt;
        /** Whether this run of refusals was recorded already (once per run, not per refused call). */
        private boolean refusalRecorded;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        /** Takes one call; returns 0 when allowed, else the milliseconds until one is available. */
        synchronized long take(int perMinute, long now) {
            tokens = Math.min(perMinute, tokens + (now - refilledAt) * perMinute / 60_000.0);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                refusalRecorded = false;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) * 60_000.0 / perMinute);
        }

        /** True the first time in a run of refusals. */
        synchronized boolean recordRefusal() {
            boolean first = !refusalRecorded;
            refusalRecorded = true;
            return first;
        }

        synchronized boolean idleSince(long cutoff) {
            return refilledAt < cutoff;
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!properties.enabled()) {
            ApiSecurityConfig.problem(response, HttpStatus.NOT_FOUND, "The REST API is turned off here.");
            return;
        }
        long max = properties.maxBody().toBytes();
        if (request.getContentLengthLong() > max) {
            tooLarge(response, max);
            return;
        }
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        String caller = auth == null ? request.getRemoteAddr() : auth.getName();
        long now = clock.millis();
        sweep(now);
        int perMinute = Math.max(1, properties.requestsPerMinute());
        Bucket bucket = buckets.computeIfAbsent(caller, c -> new Bucket(perMinute, now));
        long waitMillis = bucket.take(perMinute, now);
        if (waitMillis > 0) {
            long seconds = Math.max(1, (waitMillis + 999) / 1000);
            response.setHeader("Retry-After", Long.toString(seconds));
            if (bucket.recordRefusal()) {
                events.publishEvent(new SecurityEvents.AccessDenied(caller, "api rate limit " + perMinute + "/min"));
            }
            ApiSecurityConfig.problem(response, HttpStatus.TOO_MANY_REQUESTS, "More than " + perMinute
                    + " calls per minute. Try again in " + seconds + " s.", Map.of("retryAfterSeconds", seconds));
            return;
        }
        // A body without a declared length (chunked) is counted as it is read.
        BodyLimit.limit(request, response, chain, max, r -> tooLarge(r, max));
    }

    private static void tooLarge(HttpServletResponse response, long max) throws IOException {
        ApiSecurityConfig.problem(response, HttpStatus.PAYLOAD_TOO_LARGE, "The request body is larger than " + max
                + " bytes.");
    }

    private void sweep(long now) {
        if (now - lastSweep < 60_000) {
            return;
        }
        lastSweep = now;
        buckets.values().removeIf(b -> b.idleSince(now - 60_000));
    }
}
