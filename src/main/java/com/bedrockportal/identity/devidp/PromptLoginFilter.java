package com.bedrockportal.identity.devidp;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * OIDC {@code prompt=login} / {@code max_age=0} for the embedded provider: the first time an authorization request
 * (by its {@code state}) asks for it, the provider forgets the current login, so the user must enter the
 * password again; when the login form sends the user back to the same request, it goes through.
 */
class PromptLoginFilter extends OncePerRequestFilter {

    private static final String HANDLED = PromptLoginFilter.class.getName() + ".state";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String prompt = request.getParameter("prompt");
        String state = request.getParameter("state");
        boolean wantsLogin = (prompt != null && prompt.contains("login")) || "0".equals(request.getParameter("max_age"));
        if ("/oauth2/authorize".equals(request.getRequestURI()) && wantsLogin && state != null) {
            HttpSession session = request.getSession(true);
            if (!state.equals(session.getAttribute(HANDLED))) {
                session.removeAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
                session.setAttribute(HANDLED, state);
            }
        }
        chain.doFilter(request, response);
    }
}
