package com.bedrockportal.shared;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The path a security decision must look at: the one the container mapped to a servlet (percent-decoded and
 * normalised), not the raw request URI. {@code /%61pi/v1/keys} reaches the API's controller as {@code /api/v1/keys};
 * a check on the raw URI would let it pass as something else.
 */
public final class RequestPaths {

    private RequestPaths() {
    }

    /** The request's path within the application, decoded, as the servlet mapping saw it. */
    public static String of(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    }
}
