/**
 * Provisioning in AWS. So far: the least-privilege policy builder ({@link com.bedrockportal.provisioning.PolicyBuilder})
 * and the resource tags, shown to requesters and security before approval; the provisioning steps follow.
 */
package com.bedrockportal.provisioning;
