package com.bedrockportal.layout;

import java.util.Optional;

import com.bedrockportal.identity.CurrentUser;
import com.vaadin.flow.component.Component;

/**
 * A card a module contributes to the home page (e.g. "your business units"). Implementations are Spring beans;
 * they return empty when they have nothing for this user.
 */
public interface HomeCard {

    /** Lower comes first. */
    default int order() {
        return 100;
    }

    Optional<Component> render(CurrentUser.Principal user);
}
