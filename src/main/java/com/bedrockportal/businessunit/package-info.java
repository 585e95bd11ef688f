/**
 * Business units: slug (names the unit's AWS resources), cost center, owner, managers (approvers), members
 * (requesters) and default monthly budget. Maintained by admins; read by every other feature.
 */
package com.bedrockportal.businessunit;
