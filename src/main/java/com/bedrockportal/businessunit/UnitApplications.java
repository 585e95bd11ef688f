package com.bedrockportal.businessunit;

import java.util.List;

/**
 * A unit's applications as archiving and deleting the unit need them; the applications module implements it (the
 * unit knows nothing of applications otherwise). Archiving decommissions every live application; a unit is deleted
 * only once none is live.
 */
public interface UnitApplications {

    /** An application that still has resources in AWS (anything but DECOMMISSIONED). */
    record LiveApplication(long id, String slug, String displayName, String status) {
    }

    List<LiveApplication> live(long businessUnitId);

    /**
     * Starts the decommissioning of every live application of the unit that is not already being decommissioned,
     * for the admin archiving it (no manager approval: the admin acts for the portal). Returns how many it started.
     */
    int decommissionAll(long businessUnitId, String reason);
}
