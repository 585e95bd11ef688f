package com.bedrockportal.notification.ui;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.notification.ChatProperties;
import com.bedrockportal.notification.ChatWebhooks;
import com.bedrockportal.notification.ChatWebhooks.Channel;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.ui.FormErrors;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

import org.springframework.security.access.AccessDeniedException;

/**
 * A unit's chat channels: its managers (and admins) paste a Slack and/or Teams incoming-webhook URL, see it only as a
 * hint afterwards, remove it, and send a test message through the outbox.
 */
@Route(value = "chat", layout = MainLayout.class)
@PageTitle("Chat notifications · Bedrock Access Portal")
@Menu(title = "nav.chat", order = 91, icon = "vaadin:comments-o")
@RolesAllowed({ PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
public class ChatSettingsView extends VerticalLayout {

    private final transient ChatWebhooks webhooks;
    private final transient ChatProperties properties;
    private final ComboBox<BusinessUnit> unit = new ComboBox<>();
    private final VerticalLayout channels = new VerticalLayout();

    public ChatSettingsView(ChatWebhooks webhooks, ChatProperties properties) {
        this.webhooks = webhooks;
        this.properties = properties;
        addClassName("portal-page");
        setId("chat-settings");
        add(new H2(getTranslation("chat.title")), new Paragraph(getTranslation("chat.text")));
        List<BusinessUnit> units = webhooks.manageable();
        if (units.isEmpty()) {
            add(new Paragraph(getTranslation("chat.noUnits")));
            return;
        }
        unit.setId("chat-unit");
        unit.setLabel(getTranslation("chat.unit"));
        unit.setItems(units);
        unit.setItemLabelGenerator(BusinessUnit::displayName);
        unit.setWidth("min(100%, 24rem)");
        unit.addValueChangeListener(e -> show());
        channels.setWidthFull();
        channels.setPadding(false);
        channels.setId("chat-channels");
        add(unit, channels);
        unit.setValue(units.get(0));
    }

    private void show() {
        channels.removeAll();
        BusinessUnit selected = unit.getValue();
        if (selected == null) {
            return;
        }
        channels.getElement().setAttribute("data-unit", selected.slug());
        Map<Channel, ChatWebhooks.Webhook> set = new EnumMap<>(Channel.class);
        webhooks.of(selected.id()).forEach(w -> set.put(w.channel(), w));
        for (Channel channel : Channel.values()) {
            channels.add(card(selected, channel, Optional.ofNullable(set.get(channel))));
        }
        Button test = new Button(getTranslation("chat.test"), e -> {
            int queued = webhooks.test(selected.id());
            notice(queued == 0 ? getTranslation("chat.testedNone") : getTranslation("chat.tested", queued),
                    queued == 0);
        });
        test.setId("chat-test");
        test.setEnabled(!set.isEmpty());
        channels.add(test);
    }

    private Div card(BusinessUnit selected, Channel channel, Optional<ChatWebhooks.Webhook> current) {
        String id = "chat-" + channel.field();
        Div card = new Div();
        card.addClassName("portal-card");
        card.setId(id + "-card");
        card.setWidthFull();
        card.add(new H3(getTranslation("chat." + channel.field())));
        Span state = new Span(current.map(w -> getTranslation("chat.current", w.hint(), w.updatedBy(),
                UserTime.format(w.updatedAt()))).orElse(getTranslation("chat.notSet")));
        state.setId(id + "-current");
        card.add(new Paragraph(state));
        if (channel == Channel.SLACK) {
            card.add(new Paragraph(getTranslation("chat.slackHelp", webhooks.slackInteractionsUrl())));
        }
        // A password field: the URL is a secret, not echoed on the screen while pasted.
        PasswordField url = new PasswordField();
        url.setId(id + "-url");
        url.setLabel(getTranslation("chat." + channel.field()));
        url.setHelperText(getTranslation("chat.url.helper", String.join(", ", properties.allowedHosts())));
        url.setMaxLength(ChatWebhooks.MAX_URL);
        url.setRevealButtonVisible(false);
        url.setWidth("min(100%, 40rem)");
        Button save = new Button(getTranslation("chat.save"), e -> {
            try {
                webhooks.set(selected.id(), channel, url.getValue());
                notice(getTranslation("chat.saved", channel.label(), selected.displayName()), false);
                show();
            } catch (FieldErrors errors) {
                FormErrors.mark(url, errors.errors().get(channel.field()));
            } catch (AccessDeniedException denied) {
                FormErrors.mark(url, denied.getMessage());
            }
        });
        save.setId(id + "-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button remove = new Button(getTranslation("chat.remove"), e -> {
            webhooks.remove(selected.id(), channel);
            notice(getTranslation("chat.removed", channel.label()), false);
            show();
        });
        remove.setId(id + "-remove");
        remove.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
        remove.setVisible(current.isPresent());
        HorizontalLayout row = new HorizontalLayout(url, save, remove);
        row.setAlignItems(FlexComponent.Alignment.BASELINE);
        row.setWrap(true);
        card.add(row);
        return card;
    }

    private static void notice(String text, boolean error) {
        Notification.show(text, 4000, Notification.Position.BOTTOM_START).addThemeVariants(
                error ? NotificationVariant.LUMO_CONTRAST : NotificationVariant.LUMO_SUCCESS);
    }
}
