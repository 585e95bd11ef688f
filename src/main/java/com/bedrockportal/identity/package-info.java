/**
 * Login and roles: OIDC authorization-code flow with PKCE against any provider, or the embedded provider with demo
 * users ({@code devidp}) when no issuer is configured; groups-to-roles mapping; the current user; the user
 * directory; Camunda's webapp and REST API behind the same SSO ({@code camunda}). Publishes
 * {@link com.bedrockportal.identity.SecurityEvents} for the audit log.
 */
package com.bedrockportal.identity;
