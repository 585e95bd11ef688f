package com.bedrockportal.shared.ui;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinSession;

/** Shows times in the user's time zone, as reported by the browser (UTC until it has answered). */
public final class UserTime {

    private static final String ZONE = UserTime.class.getName() + ".zone";
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private UserTime() {
    }

    public static void captureBrowserZone(UI ui) {
        VaadinSession session = ui.getSession();
        if (session == null || session.getAttribute(ZONE) != null) {
            return;
        }
        ui.getPage().retrieveExtendedClientDetails(details -> {
            try {
                session.setAttribute(ZONE, ZoneId.of(details.getTimeZoneId()));
            } catch (RuntimeException invalidOrMissing) {
                session.setAttribute(ZONE, ZoneOffset.UTC);
            }
        });
    }

    public static ZoneId zone() {
        VaadinSession session = VaadinSession.getCurrent();
        Object zone = session == null ? null : session.getAttribute(ZONE);
        return zone instanceof ZoneId z ? z : ZoneOffset.UTC;
    }

    public static String format(Instant instant) {
        return instant == null ? "" : FORMAT.format(instant.atZone(zone()));
    }
}
