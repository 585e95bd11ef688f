package com.bedrockportal.request;

import java.time.Instant;

/** One step in a request's history: submitted, a decision, a reminder, expiry, withdrawal. */
public record TimelineEntry(Instant at, String actor, String type, String comment) {
}
