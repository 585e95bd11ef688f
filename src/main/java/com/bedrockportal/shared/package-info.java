/**
 * Shared kernel: clock, start-up ordering of Flyway and Camunda, field validation errors, general portal settings,
 * and what holds for every request (no-store caching, request size limit, security headers on Tomcat's own pages,
 * the owner-only data folder, masking of secrets in every log line, what a page's push connection keeps), and reads remembered for the rest of a transaction. Its
 * {@code ui} interface holds the main layout and common views.
 */
package com.bedrockportal.shared;
