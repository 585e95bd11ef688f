package com.bedrockportal.businessunit;

import java.util.Set;
import java.util.TreeSet;

/**
 * An admin saved a unit whose members changed: who left it and who joined (managers are not members; they approve).
 * Published in the save's transaction; listeners run after it committed.
 * <p>
 * Listeners act on {@link #stillGone} and {@link #stillBack}, not on the sets as published: an event can reach them
 * after a later save of the unit (they run several at a time) or a second time (sent again by {@code EventRedelivery} when a
 * listener had not finished five minutes after), and someone who left and came back since must not be taken off again.
 */
public record MembersChanged(long businessUnitId, Set<String> removed, Set<String> added, String by) {

    /** Who this save removed and who is still not a member of the unit as it is now. */
    public Set<String> stillGone(BusinessUnit now) {
        Set<String> gone = new TreeSet<>(removed);
        gone.removeAll(now.members());
        return gone;
    }

    /** Who this save added and who is still a member of the unit as it is now. */
    public Set<String> stillBack(BusinessUnit now) {
        Set<String> back = new TreeSet<>(added);
        back.retainAll(now.members());
        return back;
    }
}
