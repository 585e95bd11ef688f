package com.bedrockportal.notification;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON a chat webhook is sent: Slack's Block Kit (a section with the text, an "Open in the portal" button and,
 * for a decision someone must take, Approve and Reject buttons) and a Teams Adaptive Card (text and an open-URL
 * action). Neither ever carries a key: callers pass titles and bodies written for notifications.
 */
final class ChatMessages {

    /** The Slack actions' ids; the interaction endpoint answers to these alone. */
    static final String APPROVE = "portal_approve";
    static final String REJECT = "portal_reject";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatMessages() {
    }

    static String slack(String title, String body, String url, Notifier.ChatApproval approval) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", "*" + escape(title) + "*\n"
                + escape(body))));
        List<Object> buttons = new ArrayList<>();
        if (approval != null) {
            String value = approval.requestId() + ":" + approval.stage();
            buttons.add(Map.of("type", "button", "action_id", APPROVE, "style", "primary", "value", value,
                    "text", plain("Approve")));
            buttons.add(Map.of("type", "button", "action_id", REJECT, "style", "danger", "value", value,
                    "text", plain("Reject…")));
        }
        if (url != null) {
            buttons.add(Map.of("type", "button", "action_id", "portal_open", "url", url,
                    "text", plain("Open in the portal")));
        }
        if (!buttons.isEmpty()) {
            blocks.add(Map.of("type", "actions", "elements", buttons));
        }
        return write(Map.of("text", title, "blocks", blocks));
    }

    static String teams(String title, String body, String url) {
        List<Object> content = List.of(
                Map.of("type", "TextBlock", "text", markdownEscape(title), "weight", "Bolder", "size", "Medium",
                        "wrap", true),
                Map.of("type", "TextBlock", "text", markdownEscape(body), "wrap", true));
        Map<String, Object> card = new java.util.LinkedHashMap<>();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        card.put("body", content);
        if (url != null) {
            card.put("actions", List.of(Map.of("type", "Action.OpenUrl", "title", "Open in the portal", "url", url)));
        }
        return write(Map.of("type", "message", "attachments", List.of(Map.of("contentType",
                "application/vnd.microsoft.card.adaptive", "content", card))));
    }

    private static Map<String, Object> plain(String text) {
        return Map.of("type", "plain_text", "text", text);
    }

    /** Slack's mrkdwn needs &, < and > escaped, so a request's text cannot forge a link or mention. */
    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** What makes Markdown in Teams' TextBlock (emphasis, links) mid-line, and the backslash itself. */
    private static final java.util.regex.Pattern MARKDOWN = java.util.regex.Pattern.compile("[\\\\*_\\[\\]]");
    /** What starts a list item at the beginning of a line: "- ", "+ ", "1. ". */
    private static final java.util.regex.Pattern LIST_ITEM = java.util.regex.Pattern.compile(
            "(?m)^(\\s*)([-+]|\\d+\\.)(?=\\s)");

    /**
     * An Adaptive Card's TextBlock reads Markdown: a request's text (an application's name, a purpose) could forge a
     * link ({@code [Approve](https://…)}), emphasis or a list. Those characters are backslash-escaped, so the card
     * shows the text as written (a bare address stays visible as itself: Teams may make it a link, never a disguised
     * one).
     */
    static String markdownEscape(String text) {
        if (text == null) {
            return "";
        }
        String escaped = MARKDOWN.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement("\\"
                + m.group()));
        // And "](" gets a space: a link needs none there, so even a renderer that ignores escapes makes no link.
        return LIST_ITEM.matcher(escaped.replace("\\](", "\\] (")).replaceAll(m -> java.util.regex.Matcher
                .quoteReplacement(m.group(1) + (m.group(2).endsWith(".") ? m.group(2).replace(".", "\\.")
                        : "\\" + m.group(2))));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A chat message could not be written as JSON", e);
        }
    }
}
