package com.bedrockportal.provisioning;

import com.bedrockportal.shared.FormValidation;

/**
 * The size of a policy as IAM counts it, against the limit of the policy the portal applies: an inline user policy,
 * at most {@value #INLINE_USER_POLICY_LIMIT} characters (all inline policies of a user together). The one
 * measurement: the request rules refuse a request whose policy would not fit, provisioning refuses it again before it
 * calls AWS, and the simulated account enforces IAM's limit with it.
 *
 * @param characters         the whole policy
 * @param modelCharacters    what the models in their regions add (resources, inference-profile conditions)
 * @param sourceIpCharacters what the source-IP ranges add (they are repeated in every statement that has them)
 */
public record PolicySize(int characters, int modelCharacters, int sourceIpCharacters) {

    /** AWS's limit for the inline policies of one IAM user together, in the characters IAM counts. */
    public static final int INLINE_USER_POLICY_LIMIT = 2048;

    /** The part of the request a requester trims to make the policy fit. */
    public enum Contributor {
        MODELS, SOURCE_IPS
    }

    /**
     * The characters IAM counts in a policy document: everything but the JSON whitespace between tokens (space, tab,
     * line feed, carriage return outside string literals). Inside a string every character counts, as written: an
     * escape such as {@code \"} counts with its backslash. IAM's error speaks of bytes: a character outside ASCII
     * counts with its UTF-8 length, the stricter reading (the portal's policies are ASCII).
     */
    public static int count(String policyJson) {
        int count = 0;
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < policyJson.length(); i++) {
            char c = policyJson.charAt(i);
            if (!inString && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
                continue;
            }
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            }
            count += utf8Length(c);
        }
        return count;
    }

    /** The limit this size is measured against. */
    public int limit() {
        return INLINE_USER_POLICY_LIMIT;
    }

    public boolean fits() {
        return characters <= INLINE_USER_POLICY_LIMIT;
    }

    /** How many characters too many (0 when it fits). */
    public int excess() {
        return Math.max(0, characters - INLINE_USER_POLICY_LIMIT);
    }

    /** What adds the most: the one to trim first. */
    public Contributor largest() {
        return sourceIpCharacters > modelCharacters ? Contributor.SOURCE_IPS : Contributor.MODELS;
    }

    /** Why the policy does not fit and what to trim, in the caller's language: the same text wherever it is refused. */
    public String tooLarge(FormValidation texts) {
        return largest() == Contributor.SOURCE_IPS
                ? texts.text("policy.tooLarge.sourceIps", characters, INLINE_USER_POLICY_LIMIT, excess(),
                        modelCharacters, sourceIpCharacters)
                : texts.text("policy.tooLarge.models", characters, INLINE_USER_POLICY_LIMIT, excess(),
                        modelCharacters, sourceIpCharacters);
    }

    /** UTF-8 bytes of one UTF-16 unit: a surrogate pair is 4 bytes, 2 for each half. */
    private static int utf8Length(char c) {
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800 || Character.isSurrogate(c)) {
            return 2;
        }
        return 3;
    }
}
