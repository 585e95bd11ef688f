/**
 * Access requests: the request form with its live policy preview, server-side validation of every field, "my
 * requests", the request timeline. Publishes {@link com.bedrockportal.request.RequestEvents} that start and stop the
 * approval workflow.
 */
package com.bedrockportal.request;
