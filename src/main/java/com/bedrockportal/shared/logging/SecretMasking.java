package com.bedrockportal.shared.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks anything shaped like a Bedrock API key or an AWS secret access key: a second line of defence for log
 * lines (the code never logs secrets on purpose). Bedrock keys keep their first 12 characters, as shown everywhere
 * else.
 */
public final class SecretMasking {

    private static final Pattern BEDROCK_KEY = Pattern.compile("(ABSK[A-Za-z0-9+/=]{8})[A-Za-z0-9+/=]{8,}");
    private static final Pattern BEDROCK_SHORT_TERM = Pattern.compile("(bedrock-api-key-)[A-Za-z0-9+/=%._-]{8,}");
    private static final Pattern AWS_SECRET = Pattern.compile(
            "(?i)((?:aws_?secret_?access_?key|secretAccessKey|SecretAccessKey)[\"'\\s:=]+)[A-Za-z0-9/+=]{40}");

    private SecretMasking() {
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        if (out.contains("ABSK")) {
            out = BEDROCK_KEY.matcher(out).replaceAll("$1…[masked]");
        }
        if (out.contains("bedrock-api-key-")) {
            out = BEDROCK_SHORT_TERM.matcher(out).replaceAll("$1…[masked]");
        }
        Matcher aws = AWS_SECRET.matcher(out);
        if (aws.find()) {
            out = aws.replaceAll("$1[masked]");
        }
        return out;
    }
}
