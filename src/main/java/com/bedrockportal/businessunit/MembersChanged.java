package com.bedrockportal.businessunit;

import java.util.Set;

/**
 * An admin saved a unit whose members changed: who left it and who joined (managers are not members; they approve).
 * Published in the save's transaction; listeners run after it committed.
 */
public record MembersChanged(long businessUnitId, Set<String> removed, Set<String> added, String by) {
}
