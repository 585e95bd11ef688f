package com.bedrockportal.businessunit;

/**
 * Keeps a unit's unit-wide monthly budget in AWS in step with the unit as an admin saved it. Implemented by the
 * module that knows which budget names are taken (application); called by {@link BusinessUnitService} inside the
 * save's transaction, after the unit's row is written, so a refusal leaves the save unmade.
 */
public interface UnitBudgetKeeper {

    /**
     * Creates or updates the unit-wide budget of this unit (idempotent: saving again changes nothing more).
     *
     * @throws Failed with a message for the admin when AWS refused or did not answer
     */
    void keep(BusinessUnit unit);

    /** AWS refused the budget or did not answer; the message says what to do. */
    class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Failed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
