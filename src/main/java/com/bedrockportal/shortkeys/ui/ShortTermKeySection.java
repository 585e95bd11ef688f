package com.bedrockportal.shortkeys.ui;

import java.util.Optional;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationMembers;
import com.bedrockportal.application.ApplicationOwners;
import com.bedrockportal.application.ApplicationPageSection;
import com.bedrockportal.application.ShortTermSuspensions;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.UserDirectory;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.ui.Card;
import com.bedrockportal.shared.ui.Durations;
import com.bedrockportal.shared.ui.FormErrors;
import com.bedrockportal.shared.ui.UserTime;
import com.bedrockportal.shortkeys.ShortTermKeys;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextField;

import org.springframework.security.access.AccessDeniedException;

/**
 * The application page's "12-hour keys" card, for applications with short-term keys only: what they are, for the
 * application's owner and members the button that gets one (after a fresh login, on its own page), and who may get
 * them — the owner and the listed members, a list the owner, the unit's managers and security can change here.
 */
@org.springframework.stereotype.Component
class ShortTermKeySection implements ApplicationPageSection {

    private final ShortTermSuspensions suspensions;
    private final CurrentUser currentUser;
    private final ShortTermKeys keys;
    private final ApplicationMembers members;
    private final UserDirectory directory;

    ShortTermKeySection(ShortTermKeys keys, ApplicationMembers members, UserDirectory directory,
            ShortTermSuspensions suspensions, CurrentUser currentUser) {
        this.suspensions = suspensions;
        this.currentUser = currentUser;
        this.keys = keys;
        this.members = members;
        this.directory = directory;
    }

    @Override
    public Component section(Application application, Runnable pageChanged) {
        if (!application.shortTermOnly()) {
            return null;
        }
        Card card = new Card("shortkeys.card.title", "short-term-keys-card");
        card.add(new Paragraph(card.getTranslation("shortkeys.card.text", application.names().iamUser(),
                Durations.words(keys.lifetime()))));
        Optional<ShortTermSuspensions.Suspension> suspended = suspensions.of(application.id());
        if (suspended.isPresent()) {
            card.add(suspendedNotice(card, application, suspended.get(), pageChanged));
        } else if (keys.mayGet(application)) {
            Button get = new Button(card.getTranslation("shortkeys.card.get"), VaadinIcon.KEY.create(),
                    e -> e.getSource().getUI().ifPresent(ui -> ui.navigate(ShortTermKeys.path(application.id()))));
            get.setId("get-short-term-key");
            get.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            card.add(get);
        } else {
            Paragraph who = new Paragraph(card.getTranslation("shortkeys.card.ownerOnly", application.owner()));
            who.setId("short-term-keys-owner-only");
            who.addClassName("portal-muted");
            card.add(who);
        }
        card.add(memberList(card, application, pageChanged));
        return card;
    }

    /** Suspended: since when, by whom, why; for security, a reason and the button that resumes issuing. */
    private Div suspendedNotice(Card card, Application app, ShortTermSuspensions.Suspension s, Runnable pageChanged) {
        Paragraph text = new Paragraph(card.getTranslation("shortkeys.suspended.text", UserTime.format(s.at()),
                s.by(), s.reason()));
        text.setId("short-term-suspended");
        text.getStyle().set("color", "var(--lumo-error-text-color)");
        Div box = new Div(text);
        if (currentUser.has(PortalRole.SECURITY)) {
            TextField reason = new TextField(card.getTranslation("shortkeys.resume.reason"));
            reason.setId("short-term-resume-reason");
            reason.setMaxLength(ShortTermSuspensions.MAX_REASON);
            reason.setWidth("min(28em, 100%)");
            Button resume = new Button(card.getTranslation("shortkeys.resume.button"), e -> {
                FormErrors.mark(reason, null);
                try {
                    suspensions.resume(app.id(), reason.getValue());
                    notice(card.getTranslation("shortkeys.resume.done", app.displayName()), false);
                    pageChanged.run();
                } catch (FieldErrors errors) {
                    FormErrors.mark(reason, errors.errors().get("reason"));
                } catch (ApplicationOwners.Refused refused) {
                    notice(refused.getMessage(), true);
                    pageChanged.run();
                }
            });
            resume.setId("short-term-resume");
            box.add(row(reason, resume));
        }
        return box;
    }

    private Div memberList(Card card, Application app, Runnable pageChanged) {
        ApplicationMembers.Roster roster = members.roster(app);
        Div box = new Div();
        box.setId("short-term-members");
        H4 title = new H4(card.getTranslation("shortkeys.members.title"));
        title.getStyle().set("margin-top", "var(--lumo-space-l)");
        box.add(title);
        UnorderedList list = new UnorderedList();
        list.setId("short-term-members-list");
        list.add(new ListItem(card.getTranslation("shortkeys.members.owner", label(app.owner()))));
        for (ApplicationMembers.Member m : roster.members()) {
            ListItem item = new ListItem();
            item.add(new Span(label(m.username()) + " "));
            Span added = new Span(card.getTranslation("shortkeys.members.added", m.addedBy(),
                    UserTime.format(m.addedAt())));
            added.addClassName("portal-muted");
            item.add(added);
            if (roster.mayChange()) {
                Button remove = new Button(card.getTranslation("shortkeys.members.remove"), e -> {
                    try {
                        members.remove(app.id(), m.username());
                        notice(card.getTranslation("shortkeys.members.removedNotice", m.username()), false);
                    } catch (ApplicationOwners.Refused | AccessDeniedException refused) {
                        notice(refused instanceof ApplicationOwners.Refused ? refused.getMessage()
                                : card.getTranslation("members.refused.notAllowed"), true);
                    }
                    pageChanged.run();
                });
                remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL,
                        ButtonVariant.LUMO_ERROR);
                remove.setId("short-term-member-remove-" + m.username());
                remove.setAriaLabel(card.getTranslation("shortkeys.members.removeLabel", m.username()));
                item.add(remove);
            }
            list.add(item);
        }
        box.add(list);
        if (roster.members().isEmpty()) {
            Paragraph none = new Paragraph(card.getTranslation("shortkeys.members.none"));
            none.addClassName("portal-muted");
            box.add(none);
        }
        if (roster.mayChange()) {
            String unit = roster.unit();
            box.add(new Paragraph(card.getTranslation("shortkeys.members.help", unit)));
            ComboBox<String> pick = new ComboBox<>(card.getTranslation("shortkeys.members.pick"));
            pick.setId("short-term-member-pick");
            pick.setItems(roster.candidates());
            pick.setItemLabelGenerator(this::label);
            pick.setHelperText(card.getTranslation("shortkeys.members.pick.helper", unit, roster.max()));
            pick.setWidth("min(22em, 100%)");
            Button add = new Button(card.getTranslation("shortkeys.members.add"), VaadinIcon.PLUS.create(), e -> {
                FormErrors.mark(pick, null);
                try {
                    ApplicationMembers.Member added = members.add(app.id(), pick.getValue());
                    notice(card.getTranslation("shortkeys.members.addedNotice", added.username()), false);
                    pageChanged.run();
                } catch (FieldErrors errors) {
                    FormErrors.mark(pick, errors.errors().get(ApplicationMembers.FIELD));
                } catch (ApplicationOwners.Refused refused) {
                    FormErrors.mark(pick, refused.getMessage());
                } catch (AccessDeniedException denied) {
                    FormErrors.mark(pick, card.getTranslation("members.refused.notAllowed"));
                }
            });
            add.setId("short-term-member-add");
            box.add(row(pick, add));
        }
        return box;
    }

    /** A field and its button on one line, wrapping on a narrow screen. */
    private static HorizontalLayout row(Component field, Button button) {
        HorizontalLayout row = new HorizontalLayout(field, button);
        row.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        row.setWrap(true);
        return row;
    }

    private String label(String username) {
        return directory.find(username).map(UserDirectory.KnownUser::label).orElse(username);
    }

    private static void notice(String text, boolean error) {
        Notification.show(text, 4000, Notification.Position.BOTTOM_START).addThemeVariants(
                error ? NotificationVariant.LUMO_ERROR : NotificationVariant.LUMO_SUCCESS);
    }

    @Override
    public int order() {
        return -10;
    }
}
