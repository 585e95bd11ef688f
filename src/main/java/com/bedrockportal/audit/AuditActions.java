package com.bedrockportal.audit;

/** Action names written by the foundation; later modules add their own. */
public final class AuditActions {
    public static final String LOGIN_SUCCESS = "LOGIN_SUCCESS";
    public static final String LOGIN_FAILURE = "LOGIN_FAILURE";
    public static final String LOGOUT = "LOGOUT";
    /** A re-login before revealing a key that the IdP did not confirm (auth_time missing or not new). */
    public static final String REAUTH_REFUSED = "REAUTH_REFUSED";
    public static final String ACCESS_DENIED = "ACCESS_DENIED";
    public static final String BU_CREATED = "BU_CREATED";
    public static final String BU_UPDATED = "BU_UPDATED";
    public static final String BU_ARCHIVED = "BU_ARCHIVED";
    public static final String BU_RESTORED = "BU_RESTORED";
    public static final String BU_DELETED = "BU_DELETED";
    public static final String AUDIT_EXPORTED = "AUDIT_EXPORTED";
    public static final String AUDIT_VERIFIED = "AUDIT_VERIFIED";

    private AuditActions() {
    }
}
