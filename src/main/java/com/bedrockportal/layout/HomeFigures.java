package com.bedrockportal.layout;

import java.util.List;

import com.bedrockportal.identity.CurrentUser;

/**
 * Counts a module contributes to the home page's role cards (e.g. "approvals waiting for you"). Implementations are
 * Spring beans; they return only figures for roles the user has, and nothing when they have none.
 */
public interface HomeFigures {

    List<HomeFigure> figures(CurrentUser.Principal user);
}
