package com.bedrockportal.audit;

/** Action names written by the foundation; later modules add their own. */
public final class AuditActions {
    public static final String LOGIN_SUCCESS = "LOGIN_SUCCESS";
    public static final String LOGIN_FAILURE = "LOGIN_FAILURE";
    public static final String LOGOUT = "LOGOUT";
    /** A session ended after the idle timeout. */
    public static final String SESSION_EXPIRED = "SESSION_EXPIRED";
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
    /** The first row signed with the chain key after rows that were not (the portal's start after the upgrade). */
    public static final String AUDIT_CHAIN_KEYED = "AUDIT_CHAIN_KEYED";
    /** An operation of a Camunda user (webapp or API), copied from the engine's operation log. */
    public static final String CAMUNDA_OPERATION = "CAMUNDA_OPERATION";
    /** Camunda refused a request of a logged-in user (read-only access, closed deployments, CSRF). */
    public static final String CAMUNDA_REFUSED = "CAMUNDA_REFUSED";
    /** A step found a request's state or decisions not as approval leaves them, and stopped. */
    public static final String SECURITY_ALERT = "SECURITY_ALERT";
    /** A person disabled a key (Inactive in AWS), with a reason. */
    public static final String KEY_DISABLED = "KEY_DISABLED";
    /** Security re-enabled a disabled key (Active in AWS again), with a reason. */
    public static final String KEY_REENABLED = "KEY_REENABLED";
    /** A person revoked a key (disabled, then deleted in AWS), with a reason. */
    public static final String KEY_REVOKED = "KEY_REVOKED";

    private AuditActions() {
    }
}
