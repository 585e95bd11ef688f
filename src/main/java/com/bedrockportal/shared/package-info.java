/**
 * Shared kernel: clock, start-up ordering of Flyway and Camunda, field validation errors, general portal settings.
 * Its {@code ui} interface holds the main layout and common views.
 */
package com.bedrockportal.shared;
