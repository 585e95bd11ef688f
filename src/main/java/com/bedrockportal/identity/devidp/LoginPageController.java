package com.bedrockportal.identity.devidp;

import java.util.Arrays;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.util.HtmlUtils;

/**
 * The embedded provider's login page. Lists the demo users and their passwords: this page exists only in the
 * embedded default mode, so the passwords are never shown anywhere else.
 */
@org.springframework.stereotype.Controller
class LoginPageController {

    private final EmbeddedIdpSettings settings;

    LoginPageController(EmbeddedIdpSettings settings) {
        this.settings = settings;
    }

    @GetMapping(value = "/login", produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    String login(HttpServletRequest request) {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        String error = request.getParameter("error");
        boolean loggedOut = request.getParameter("logout") != null;
        boolean again = askedToLogInAgain(request);
        StringBuilder rows = new StringBuilder();
        for (DemoUser user : settings.users()) {
            rows.append("<tr><td><code>").append(esc(user.username())).append("</code></td><td><code>")
                    .append(esc(user.password())).append("</code></td><td>").append(esc(String.join(", ", user.groups())))
                    .append("</td><td>").append(esc(user.description())).append("</td></tr>");
        }
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Sign in — Bedrock Access Portal (embedded login)</title>
                <style>
                body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f5f9;margin:0;color:#1b2733}
                main{max-width:640px;margin:6vh auto;padding:0 16px}
                .card{background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:28px}
                h1{font-size:1.35rem;margin:0 0 4px} p.sub{color:#5a6b7b;margin:0 0 20px}
                label{display:block;font-weight:600;margin:14px 0 6px}
                input{width:100%%;box-sizing:border-box;padding:10px;border:1px solid #c5cfd9;border-radius:6px;font-size:1rem}
                button{margin-top:20px;width:100%%;padding:11px;background:#1a5fb4;color:#fff;border:0;border-radius:6px;font-size:1rem;cursor:pointer}
                .error{background:#fde8e8;color:#9b1c1c;padding:10px;border-radius:6px;margin-bottom:8px}
                .info{background:#e8f1fd;color:#1a4a8a;padding:10px;border-radius:6px;margin-bottom:8px}
                table{width:100%%;border-collapse:collapse;font-size:.9rem;margin-top:8px}
                td,th{text-align:left;padding:6px 4px;border-bottom:1px solid #e3e8ee;vertical-align:top}
                .demo{margin-top:24px} .demo h2{font-size:1rem;margin:0}
                .demo p{color:#5a6b7b;font-size:.85rem;margin:4px 0}
                </style></head>
                <body><main><div class="card">
                <h1>Bedrock Access Portal</h1>
                <p class="sub">Embedded login provider (demo mode)</p>
                %s%s
                <form method="post" action="/login">
                <label for="username">Username</label>
                <input id="username" name="username" autocomplete="username" autofocus required>
                <label for="password">Password</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required>
                <input type="hidden" name="%s" value="%s">
                <button type="submit">Sign in</button>
                </form>
                <div class="demo"><h2>Demo users</h2>
                <p>This provider runs only in the embedded default mode. In production the portal uses your
                organisation's OIDC provider and this page does not exist.</p>
                <table><thead><tr><th>User</th><th>Password</th><th>Groups</th><th>Role</th></tr></thead>
                <tbody>%s</tbody></table></div>
                </div></main></body></html>
                """.formatted(
                error == null ? ""
                        : "wait".equals(error)
                                ? "<div class=\"error\" role=\"alert\">Too many failed sign-ins for this user or from "
                                        + "this address. Wait a few seconds, then try again.</div>"
                                : "<div class=\"error\" role=\"alert\">Invalid username or password.</div>",
                (loggedOut ? "<div class=\"info\">You have been signed out.</div>" : "")
                        + (again ? "<div class=\"info\" id=\"login-again\" role=\"status\">Sign in again to confirm "
                                + "it is you: the portal asks for a fresh login before it shows an API key or "
                                + "another sensitive step.</div>" : ""),
                esc(csrf.getParameterName()), esc(csrf.getToken()), rows);
    }

    /**
     * Whether this login form answers an authorization request that asked for a fresh login ({@code prompt=login}
     * or {@code max_age=0}): the portal's re-login before a reveal. The text shown for it is fixed.
     */
    private static boolean askedToLogInAgain(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Object saved = session == null ? null : session.getAttribute("SPRING_SECURITY_SAVED_REQUEST");
        if (!(saved instanceof SavedRequest authorize)) {
            return false;
        }
        String[] prompt = authorize.getParameterValues("prompt");
        String[] maxAge = authorize.getParameterValues("max_age");
        return (prompt != null && Arrays.stream(prompt).anyMatch(p -> p.contains("login")))
                || (maxAge != null && Arrays.asList(maxAge).contains("0"));
    }

    private static String esc(String s) {
        return HtmlUtils.htmlEscape(s == null ? "" : s);
    }
}
