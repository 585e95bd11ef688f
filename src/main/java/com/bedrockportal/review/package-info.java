/**
 * Access reviews: a campaign (quarterly, {@code portal.reviews.schedule}, or started by security) asks each unit's
 * managers to attest every active application of the unit by a deadline: keep (attest), reduce (a narrowing change
 * request) or revoke (the key is disabled and deleted in AWS through {@link com.bedrockportal.lifecycle.KeyActions}).
 * What nobody decided by the deadline is disabled or only flagged ({@code portal.reviews.on-missed}). Every decision
 * is audited against {@code application:<id>} ({@link com.bedrockportal.review.AccessReviews}). The workflow module
 * runs the process {@code bedrock-access-review} from this module's events and calls its steps.
 */
package com.bedrockportal.review;
