/**
 * Dashboards: the place where a security lead starts the day, and the same page scoped to a manager's units or a
 * requester's applications. Figures (tiles, chart series and the charts rendered as SVG on the server) are computed
 * by a scheduled refresh ({@code portal.dashboard.*}) or "Refresh now" and stored per audience
 * ({@link com.bedrockportal.dashboard.Dashboard}); a visit reads one row. Also the lists behind the tiles: all
 * requests with filters and CSV export, and applications with use, spend and expiry.
 * <p>
 * The figures are aggregates over other modules' tables (keys, requests, applications, usage and spend, drift
 * findings, compromise cases, Camunda incidents) read with SQL, read-only: at 100,000 keys only the database can
 * count fast enough, and no module's service offers (or should offer) counts for every audience. Depends on identity
 * (roles, current user), businessunit (a manager's units), audit and shared; changes nothing in other modules.
 */
package com.bedrockportal.dashboard;
