package com.bedrockportal.shared;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits and headers that hold for every request, before Spring Security and Vaadin see it:
 * <ul>
 * <li>request bodies of at most {@code portal.http.max-request-size} (1 MB; a Vaadin round trip is a few KB):
 * larger ones get 413 before anything reads them, declared or streamed;</li>
 * <li>the browser-hardening headers (nosniff, frame denial, referrer policy, Permissions-Policy) also on the error
 * pages Tomcat writes itself, outside the filters.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class WebHardening {

    /** Features no page of the portal uses (the clipboard keeps its default: this origin only). */
    static final String PERMISSIONS_POLICY = "accelerometer=(), autoplay=(), camera=(), display-capture=(), "
            + "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()";

    private static final Set<String> NO_BODY = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> requestSizeLimit(
            @Value("${portal.http.max-request-size:1MB}") DataSize max) {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
                new RequestSizeLimitFilter(max.toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    /** Headers on everything Tomcat answers, its own error pages included (the filters add theirs on top). */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> hardenedTomcat() {
        return factory -> factory.addEngineValves(new HeaderValve());
    }

    static final class HeaderValve extends ValveBase {
        HeaderValve() {
            super(true);
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Referrer-Policy", "same-origin");
            response.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
            String uri = request.getRequestURI();
            if (uri == null || !uri.startsWith("/camunda/")) {
                response.setHeader("X-Frame-Options", "DENY");
            }
            getNext().invoke(request, response);
        }
    }

    static final class RequestSizeLimitFilter extends OncePerRequestFilter {
        private final long max;

        RequestSizeLimitFilter(long max) {
            this.max = max;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (NO_BODY.contains(request.getMethod())) {
                chain.doFilter(request, response);
                return;
            }
            BodyLimit.limit(request, response, chain, max,
                    r -> r.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE));
        }
    }

}
