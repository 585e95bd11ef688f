package com.bedrockportal.request;

/** Events the request module publishes, synchronously and inside the transaction of the change. */
public final class RequestEvents {

    private RequestEvents() {
    }

    /** A request was submitted: the approval workflow starts. */
    public record Submitted(long requestId, String requester, long businessUnitId) {
    }

    /** The requester withdrew a pending request: the approval workflow stops. */
    public record Withdrawn(long requestId, String requester) {
    }
}
