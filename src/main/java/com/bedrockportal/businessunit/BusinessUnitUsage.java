package com.bedrockportal.businessunit;

/**
 * Tells whether a business unit still has live resources (API keys). Modules that own such resources implement
 * it; a unit with any is archived, never deleted.
 */
public interface BusinessUnitUsage {

    /** How many live (not deleted) API keys the unit has. */
    long liveKeys(long businessUnitId);
}
