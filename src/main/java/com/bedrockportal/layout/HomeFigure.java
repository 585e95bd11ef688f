package com.bedrockportal.layout;

import java.time.Instant;

import com.bedrockportal.identity.PortalRole;

/**
 * One count on the home page: what waits for the user in one of their roles, linking to the page (filtered) where
 * they deal with it. {@code labelKey} is a message key whose argument is the count; {@code count} null means "not
 * known yet" (e.g. the account posture was never checked); {@code oldest} (optional) when the oldest of them started
 * waiting; {@code nextKey} the message key of the next thing to do when the count is above zero (its argument is the
 * count), or null when this count never is the next thing.
 */
public record HomeFigure(PortalRole role, int order, String id, String labelKey, Long count, String href,
        Instant oldest, String nextKey) {

    public static HomeFigure of(PortalRole role, int order, String id, String labelKey, long count, String href,
            String nextKey) {
        return new HomeFigure(role, order, id, labelKey, count, href, null, nextKey);
    }

    /** Whether this is something to act on: a positive count, or an unknown one. */
    public boolean waiting() {
        return count == null || count > 0;
    }
}
