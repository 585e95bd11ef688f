/**
 * The REST API {@code /api/v1}: requests, applications and keys (by prefix only), key actions, alerts and the audit
 * log for scripts and pipelines. Bearer JWTs of the configured issuer ({@code identity}'s resource-server chain);
 * every call goes through the same services, role checks and rules as the pages. Refusals are RFC 9457 problems.
 */
package com.bedrockportal.api;
