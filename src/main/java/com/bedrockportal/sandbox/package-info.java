/**
 * The simulated AWS account of the embedded default: persisted in the portal's database, enforcing AWS's rules,
 * with optional fault injection ({@code portal.sandbox.*}).
 */
package com.bedrockportal.sandbox;
