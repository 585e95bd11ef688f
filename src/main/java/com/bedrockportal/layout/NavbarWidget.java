package com.bedrockportal.layout;

import java.util.Optional;

import com.bedrockportal.identity.CurrentUser;
import com.vaadin.flow.component.Component;

/** A component a module adds to the top bar (e.g. the notification bell). Spring beans; prototype-like per UI. */
public interface NavbarWidget {

    Optional<Component> create(CurrentUser.Principal user);
}
