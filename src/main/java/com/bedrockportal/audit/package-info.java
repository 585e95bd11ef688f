/**
 * The append-only, hash-chained audit log ({@link com.bedrockportal.audit.AuditLog}): every module records its
 * actions here in the same transaction as the action. Security and admins read, filter, export and verify it.
 */
package com.bedrockportal.audit;
