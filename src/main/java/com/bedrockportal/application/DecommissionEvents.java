package com.bedrockportal.application;

/**
 * What the decommissioning of an application tells the workflow, in the transaction that records it (so the record
 * and its process are saved together or not at all).
 */
public final class DecommissionEvents {

    /** A decommission was asked for; {@code approvalRequired}: the owner asked, a manager decides first. */
    public record Requested(long decommissionId, boolean approvalRequired) {
    }

    /** A manager decided on an owner's decommission request (recorded before this event). */
    public record Decided(long decommissionId, boolean approved) {
    }

    private DecommissionEvents() {
    }
}
