package com.bedrockportal.notification;

import java.util.List;
import java.util.UUID;

import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The bell's list: what the person saw is marked read, and only that. */
class InAppNotificationsIT extends PostgresSupport {

    @Autowired
    Notifier notifier;
    @Autowired
    InAppNotifications notifications;

    /**
     * A notification that arrives between reading the list and marking it read was never shown: it stays unread and
     * counts on the bell (marking everything read marked it too).
     */
    @Test
    void aNotificationThatArrivesWhileTheListIsShownStaysUnread() {
        String user = "bell-" + UUID.randomUUID().toString().substring(0, 8);
        notifier.notify(List.of(user), "Request #1 was approved", "Seen.", null);
        notifier.notify(List.of(user), "Request #2 was approved", "Seen.", null);
        RunAs.user(user, () -> {
            List<InAppNotifications.Item> shown = notifications.recent(15);
            assertThat(shown).hasSize(2);
            notifier.notify(List.of(user), "Your key expires in 7 days", "Not seen yet.", null);

            notifications.markReadUpTo(shown.get(0).id());

            assertThat(notifications.unreadCount()).isEqualTo(1);
            assertThat(notifications.recent(15)).filteredOn(i -> !i.read()).extracting(InAppNotifications.Item::title)
                    .containsExactly("Your key expires in 7 days");
        }, "REQUESTER");
    }
}
