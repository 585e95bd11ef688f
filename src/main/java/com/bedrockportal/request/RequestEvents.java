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

    /**
     * A request reached PROVISIONED (a new key, 12-hour keys, or a change applied in place), published in the
     * transaction that moved it, on the node that ran the step: once per request in the cluster.
     */
    public record Provisioned(long requestId, java.time.Instant at) {
    }
}
