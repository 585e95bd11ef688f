/**
 * Security alerts and the security inbox ({@code /alerts}): rules that read the usage and spend figures (tables of
 * V22, filled by the usage collection) and the open AWS drift findings, raise de-duplicated alerts with severity and
 * evidence, tell security of each new one (bell and mail), and let security act on one — disable its key, open a
 * compromise case, or dismiss it with a reason — each audited ({@link com.bedrockportal.alerts.Alerts}). Evaluated on
 * a schedule ({@code portal.alerts.*}), on "Evaluate now", and after each usage collection.
 * <p>
 * Depends on lifecycle (disabling a key through {@code KeyActions}, opening a case through {@code Compromises}),
 * drift (the open findings of keys and IAM users created outside the portal), key, application and businessunit (the
 * subjects' names and units), notification, audit, identity and shared. A module of its own rather than part of
 * monitoring: lifecycle depends on monitoring, so alerts there would make a cycle. The dashboard reads its counts.
 */
package com.bedrockportal.alerts;
