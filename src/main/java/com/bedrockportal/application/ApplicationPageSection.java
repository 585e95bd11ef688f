package com.bedrockportal.application;

import com.vaadin.flow.component.Component;

/**
 * A section that another module adds to the application page (key rotation, for one), so that the application
 * module need not know those modules: they depend on it, not the other way round. Sections appear in
 * {@link #order()} after the application's keys.
 */
public interface ApplicationPageSection {

    /** The section for this application and the current user, or null for none. */
    Component section(Application application, Runnable pageChanged);

    default int order() {
        return 0;
    }
}
