/**
 * 12-hour keys: short-term Amazon Bedrock API keys for applications that chose "short-term keys only". Such an
 * application has an IAM role instead of an IAM user with a long-term key; a member clicks "Get a 12-hour key",
 * logs in again, and receives a key built ({@link com.bedrockportal.shortkeys.BedrockTokens}) from the credentials of
 * an {@code AssumeRole} session of that role — shown once, never stored, audited. Security's graduation list shows
 * which applications still use long-term keys.
 */
package com.bedrockportal.shortkeys;
