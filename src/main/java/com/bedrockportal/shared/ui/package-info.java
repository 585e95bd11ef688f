/**
 * Common UI pieces every feature uses: the main layout, the home page and its cards, the access-denied page, times
 * in the user's zone.
 */
@org.springframework.modulith.NamedInterface("ui")
package com.bedrockportal.shared.ui;
