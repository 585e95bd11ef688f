package com.bedrockportal.notification.ui;

import java.util.Optional;

import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.layout.NavbarWidget;
import com.bedrockportal.notification.InAppNotifications;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.popover.Popover;
import com.vaadin.flow.component.popover.PopoverPosition;

/** The bell in the top bar: unread count, and a list of recent notifications that marks them read when opened. */
@org.springframework.stereotype.Component
class NotificationBell implements NavbarWidget {

    private final InAppNotifications notifications;

    NotificationBell(InAppNotifications notifications) {
        this.notifications = notifications;
    }

    @Override
    public Optional<Component> create(CurrentUser.Principal user) {
        Button bell = new Button(VaadinIcon.BELL.create());
        bell.setId("notification-bell");
        bell.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        bell.setAriaLabel(bell.getTranslation("notifications.title"));
        Span count = new Span();
        count.setId("notification-count");
        count.getElement().getThemeList().add("badge error pill small");
        bell.setSuffixComponent(count);

        VerticalLayout list = new VerticalLayout();
        list.setId("notification-list");
        list.setPadding(false);
        list.setSpacing(false);
        list.setWidth("340px");
        Popover popover = new Popover();
        popover.setTarget(bell);
        popover.setPosition(PopoverPosition.BOTTOM_END);
        popover.add(list);
        popover.addOpenedChangeListener(e -> {
            if (e.isOpened()) {
                render(list, count).ifPresent(notifications::markReadUpTo);
            } else {
                updateCount(count);
            }
        });
        updateCount(count);
        Div wrapper = new Div(bell, popover);
        return Optional.of(wrapper);
    }

    private void updateCount(Span count) {
        int unread = notifications.unreadCount();
        String shown = unread > 99 ? "99+" : String.valueOf(unread);
        count.setText(shown);
        count.setVisible(unread > 0);
        // The accessible name starts with what is seen on the button (WCAG 2.5.3, label in name).
        count.getParent().ifPresent(bell -> bell.getElement().setAttribute("aria-label", unread > 0
                ? count.getTranslation("notifications.unread", shown) : count.getTranslation("notifications.title")));
    }

    /** Shows the newest notifications; returns the id of the newest shown, if any. */
    private Optional<Long> render(VerticalLayout list, Span count) {
        list.removeAll();
        H4 title = new H4(list.getTranslation("notifications.title"));
        title.getStyle().set("margin", "var(--lumo-space-s)");
        list.add(title);
        var items = notifications.recent(15);
        if (items.isEmpty()) {
            list.add(new Paragraph(list.getTranslation("notifications.empty")));
        }
        for (InAppNotifications.Item item : items) {
            Div entry = new Div();
            entry.addClassName("portal-notification");
            if (!item.read()) {
                entry.addClassName("portal-notification-unread");
            }
            Component heading = item.link() == null ? new Span(item.title()) : new Anchor(item.link(), item.title());
            Span when = new Span(UserTime.format(item.createdAt()));
            when.addClassName("portal-muted");
            entry.add(new HorizontalLayout(heading), new Paragraph(item.body()), when);
            list.add(entry);
        }
        count.setVisible(false);
        count.getParent().ifPresent(
                bell -> bell.getElement().setAttribute("aria-label", count.getTranslation("notifications.title")));
        return items.stream().map(InAppNotifications.Item::id).findFirst();
    }
}
