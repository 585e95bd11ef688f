/**
 * Evidence packs: what an auditor asks for per access grant, assembled from what the other modules already keep —
 * the requests and each approval, the exact policy and tags now and at each change, the key lifecycle, access-review
 * attestations (from the audit log), alerts and compromise cases, the audit rows cited with a fresh verification of
 * the hash chain, and a verdict per control the organisation names (SOC 2, PCI DSS, GDPR). One application's pack
 * ({@link com.bedrockportal.evidence.EvidencePacks#forApplication}), a unit's and all units' for a period; each
 * rendered as PDF and as a JSON twin of the same model. Never any key material: keys appear by their first 12
 * characters only. Reads other modules through their public services; writes nothing but its own audit rows.
 */
package com.bedrockportal.evidence;
