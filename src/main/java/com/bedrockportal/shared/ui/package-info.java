/**
 * UI pieces forms and views of every feature use: field errors next to fields, the binder of drafts, times in the
 * user's zone. The layout, the home page and the access-denied page are the {@code layout} module's (they read who is
 * logged in, which the shared kernel must not know).
 */
@org.springframework.modulith.NamedInterface("ui")
package com.bedrockportal.shared.ui;
