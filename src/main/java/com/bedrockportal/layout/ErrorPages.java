package com.bedrockportal.layout;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.web.servlet.error.ErrorViewResolver;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.View;

/**
 * The pages for failures outside the Vaadin UI (Camunda's webapp refusing a role, an error in a plain HTTP endpoint):
 * the portal's name, what happened in words, and a way back — instead of Spring's "Whitelabel Error Page". Nothing
 * from the request or the failure is written into the page. Light or dark follows the system setting.
 */
@Component
class ErrorPages implements ErrorViewResolver {

    record Text(String title, String heading, String body) {
    }

    static final Text FORBIDDEN = new Text("Not for your role", "You don't have access to this page",
            "<p>Your roles do not allow this page. Camunda Cockpit and the process engine's API are open to platform "
                    + "admins only, and only to read: every decision and change goes through the portal.</p>"
                    + "<p>The attempt has been recorded. If you need access, ask your platform admin to add you to "
                    + "the right group.</p>");
    static final Text NOT_FOUND = new Text("Page not found", "Page not found",
            "<p>There is nothing at this address. It may have moved, or the link may be mistyped.</p>");
    static final Text REFUSED = new Text("Request refused", "The portal could not answer this request",
            "<p>The request was refused. Go back and try again; if it keeps happening, tell your platform team what "
                    + "you were doing.</p>");
    static final Text FAILED = new Text("Something went wrong", "Something went wrong on our side",
            "<p>The portal could not finish this request. Try again in a moment; if it keeps happening, tell your "
                    + "platform team what you were doing and when.</p>");

    private static final String STYLE = """
            :root { color-scheme: light dark; }
            body { font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
              margin: 0; background: #fff; color: #1a2433; line-height: 1.5; }
            header { padding: 12px 24px; border-bottom: 1px solid #d5dbe3; font-weight: 600; }
            main { max-width: 640px; padding: 24px; }
            h1 { font-size: 1.5rem; margin: 0 0 12px; }
            a { color: #1a56a8; }
            .code { color: #4d5b6e; font-size: 0.875rem; }
            @media (prefers-color-scheme: dark) {
              body { background: #17202b; color: #e6ebf2; }
              header { border-color: #3a4656; }
              a { color: #8ab8f5; }
              .code { color: #aab6c5; }
            }
            """;

    @Override
    public ModelAndView resolveErrorView(HttpServletRequest request, HttpStatus status, Map<String, Object> model) {
        Text text = status == HttpStatus.FORBIDDEN ? FORBIDDEN
                : status == HttpStatus.NOT_FOUND ? NOT_FOUND
                        : status.is4xxClientError() ? REFUSED : FAILED;
        ModelAndView page = new ModelAndView(new Page(html(text, status.value())));
        page.setStatus(status);
        return page;
    }

    static String html(Text text, int status) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                  <meta charset="UTF-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <title>@title · Bedrock Access Portal</title>
                  <style>@style</style>
                </head>
                <body>
                  <header>Bedrock Access Portal</header>
                  <main id="error-page" data-status="@status">
                    <h1>@heading</h1>
                    @body
                    <p><a href="/">Back to the portal's home page</a></p>
                    <p class="code">Error @status</p>
                  </main>
                </body>
                </html>
                """.replace("@title", text.title()).replace("@style", STYLE).replace("@heading", text.heading())
                .replace("@body", text.body()).replace("@status", String.valueOf(status));
    }

    /** A fixed page: no model values reach it. */
    private record Page(String html) implements View {

        @Override
        public String getContentType() {
            return "text/html;charset=UTF-8";
        }

        @Override
        public void render(Map<String, ?> model, HttpServletRequest request, HttpServletResponse response)
                throws java.io.IOException {
            response.setContentType(getContentType());
            response.getOutputStream().write(html.getBytes(StandardCharsets.UTF_8));
        }
    }
}
