package com.bedrockportal.identity;


import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/** Reports a refused view navigation, which Vaadin decides outside Spring Security's filters. */
@Component
public class AccessDeniedRecorder {

    private final ApplicationEventPublisher events;
    private final CurrentUser currentUser;

    AccessDeniedRecorder(ApplicationEventPublisher events, CurrentUser currentUser) {
        this.events = events;
        this.currentUser = currentUser;
    }

    public void viewDenied(String path) {
        events.publishEvent(new SecurityEvents.AccessDenied(currentUser.usernameOrAnonymous(), "view " + path));
    }
}
