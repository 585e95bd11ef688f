package com.bedrockportal.shared;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Cache-Control: no-store} on every page and every Vaadin server round trip (which could carry a revealed
 * key), overriding the {@code no-cache} Vaadin sets itself. Static assets keep their caching.
 */
@Configuration(proxyBeanMethods = false)
class NoStoreFilter {

    static final String NO_STORE = "no-store, no-cache, max-age=0, must-revalidate";

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> noStore() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
                new OncePerRequestFilter() {
                    @Override
                    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                            FilterChain chain) throws ServletException, IOException {
                        if (isStatic(request.getRequestURI())) {
                            chain.doFilter(request, response);
                            return;
                        }
                        response.setHeader("Cache-Control", NO_STORE);
                        chain.doFilter(request, new HttpServletResponseWrapper(response) {
                            @Override
                            public void setHeader(String name, String value) {
                                super.setHeader(name, "Cache-Control".equalsIgnoreCase(name) ? NO_STORE : value);
                            }

                            @Override
                            public void addHeader(String name, String value) {
                                if ("Cache-Control".equalsIgnoreCase(name)) {
                                    super.setHeader(name, NO_STORE);
                                } else {
                                    super.addHeader(name, value);
                                }
                            }
                        });
                    }
                });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.addUrlPatterns("/*");
        return registration;
    }

    static boolean isStatic(String uri) {
        return uri.startsWith("/VAADIN/build/") || uri.startsWith("/VAADIN/static/") || uri.startsWith("/themes/")
                || uri.startsWith("/camunda/assets/") || uri.startsWith("/icons/") || uri.endsWith(".ico");
    }
}
