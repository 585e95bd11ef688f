/**
 * The Bedrock model catalog: which foundation models and inference profiles requesters may choose, in which
 * regions. Seeded with a realistic catalog; admins enable entries and refresh from the account
 * ({@link com.bedrockportal.catalog.FoundationModelSource}).
 */
package com.bedrockportal.catalog;
