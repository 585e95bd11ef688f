package com.bedrockportal.identity;

/**
 * The portal's roles. Granted from the IdP's groups claim as Spring authorities {@code ROLE_<name>}.
 */
public enum PortalRole {
    REQUESTER, MANAGER, SECURITY, ADMIN;

    /** Role names for {@code @RolesAllowed}. */
    public static final String REQUESTER_ROLE = "REQUESTER";
    public static final String MANAGER_ROLE = "MANAGER";
    public static final String SECURITY_ROLE = "SECURITY";
    public static final String ADMIN_ROLE = "ADMIN";

    public String authority() {
        return "ROLE_" + name();
    }
}
