package com.bedrockportal.notification;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.bedrockportal.audit.AuditLog;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.identity.SecurityEvents;
import com.bedrockportal.key.SealedSettings;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.FormValidation;

import jakarta.annotation.security.RolesAllowed;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A unit's chat webhooks: one Slack and one Microsoft Teams incoming-webhook URL at most, stored
 * {@linkplain SealedSettings sealed} (whoever holds the URL can post into the channel) and shown only as a hint. The
 * unit's managers and admins set, test and remove them; every change is audited with the hint, never the URL. A
 * refusal is audited too: the steward check comes before any write, so its transaction commits the refusal alone.
 */
@Service
public class ChatWebhooks {

    /** Where a unit's messages go. */
    public enum Channel {
        SLACK("Slack"), TEAMS("Microsoft Teams");

        private final String label;

        Channel(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The form field a URL for this channel is entered in. */
        public String field() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A configured webhook, as it may be shown. */
    public record Webhook(long unitId, Channel channel, String hint, String updatedBy, Instant updatedAt) {
    }

    /** Longest URL accepted. */
    public static final int MAX_URL = 500;
    /** The path Slack posts interactions to (the chat module answers it). */
    public static final String SLACK_INTERACTIONS_PATH = "/api/v1/chat/slack/interactions";
    static final String AUDIT_SET = "CHAT_WEBHOOK_SET";
    static final String AUDIT_REMOVED = "CHAT_WEBHOOK_REMOVED";
    static final String AUDIT_TESTED = "CHAT_WEBHOOK_TESTED";

    private final SealedSettings settings;
    private final BusinessUnitService units;
    private final CurrentUser currentUser;
    private final AuditLog audit;
    private final ChatProperties properties;
    private final Notifier notifier;
    private final FormValidation texts;
    private final ApplicationEventPublisher events;
    private final MailProperties mail;

    ChatWebhooks(SealedSettings settings, BusinessUnitService units, CurrentUser currentUser, AuditLog audit,
            ChatProperties properties, Notifier notifier, FormValidation texts, ApplicationEventPublisher events,
            MailProperties mail) {
        this.mail = mail;
        this.settings = settings;
        this.units = units;
        this.currentUser = currentUser;
        this.audit = audit;
        this.properties = properties;
        this.notifier = notifier;
        this.texts = texts;
        this.events = events;
    }

    /** The units whose webhooks the current user may manage: every active unit for admins, their own for managers. */
    @RolesAllowed({ PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
    @Transactional(readOnly = true)
    public List<BusinessUnit> manageable() {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        List<BusinessUnit> mine = me.has(PortalRole.ADMIN) ? units.list(null, false)
                : units.unitsOf(me.username()).stream().filter(u -> u.managers().contains(me.username())).toList();
        return mine.stream().sorted(java.util.Comparator.comparing(BusinessUnit::displayName)).toList();
    }

    /** The unit's configured webhooks. */
    @RolesAllowed({ PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
    @Transactional(noRollbackFor = AccessDeniedException.class)
    public List<Webhook> of(long unitId) {
        steward(unitId, "view chat webhooks of");
        return configured(unitId);
    }

    /**
     * Seals and stores the unit's webhook URL for the channel, replacing the previous one.
     *
     * @throws FieldErrors on the channel's field ({@code slack} or {@code teams}) when the URL is empty, too long, not
     *                     https or names a host that is not allowed
     */
    @RolesAllowed({ PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
    @Transactional(noRollbackFor = AccessDeniedException.class)
    public Webhook set(long unitId, Channel channel, String url) {
        BusinessUnit unit = steward(unitId, "set a chat webhook of");
        String value = url == null ? "" : url.strip();
        URI uri = validate(channel, value);
        SealedSettings.Setting saved = settings.put(name(unitId, channel), value, hint(uri),
                currentUser.usernameOrAnonymous());
        audit.record(saved.updatedBy(), AUDIT_SET, target(unitId), channel.label() + " webhook of "
                + unit.displayName() + " set (" + saved.hint() + ")");
        return new Webhook(unitId, channel, saved.hint(), saved.updatedBy(), saved.updatedAt());
    }

    /** Removes the unit's webhook for the channel; messages already queued for it fail visibly in the outbox. */
    @RolesAllowed({ PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
    @Transactional(noRollbackFor = AccessDeniedException.class)
    public boolean remove(long unitId, Channel channel) {
        BusinessUnit unit = steward(unitId, "remove a chat webhook of");
        boolean removed = settings.remove(name(unitId, channel));
        if (removed) {
            audit.record(currentUser.usernameOrAnonymous(), AUDIT_REMOVED, target(unitId), channel.label()
                    + " webhook of " + unit.displayName() + " removed");
        }
        return removed;
    }

    /** Queues a test message to the unit's channels; returns how many channels it went to. */
    @RolesAllowed({ PortalRole.ADMIN_ROLE, PortalRole.MANAGER_ROLE })
    @Transactional(noRollbackFor = AccessDeniedException.class)
    public int test(long unitId) {
        BusinessUnit unit = steward(unitId, "test the chat webhooks of");
        String me = currentUser.usernameOrAnonymous();
        int queued = notifier.chat(unitId, texts.text("chat.test.title", unit.displayName()),
                texts.text("chat.test.body", me), "", null);
        audit.record(me, AUDIT_TESTED, target(unitId), queued + " test message(s) queued");
        return queued;
    }

    /** Where Slack sends button clicks (the Slack app's Interactivity request URL). */
    public String slackInteractionsUrl() {
        return mail.baseUrl() + SLACK_INTERACTIONS_PATH;
    }

    /** The unit's webhooks (hints only). */
    private List<Webhook> configured(long unitId) {
        List<Webhook> result = new ArrayList<>();
        for (Channel channel : Channel.values()) {
            settings.describe(name(unitId, channel)).ifPresent(s -> result.add(new Webhook(unitId, channel,
                    s.hint(), s.updatedBy(), s.updatedAt())));
        }
        return result;
    }

    static String name(long unitId, Channel channel) {
        return "chat." + channel.field() + ".unit." + unitId;
    }

    private static String target(long unitId) {
        return "unit:" + unitId;
    }

    private BusinessUnit steward(long unitId, String what) {
        CurrentUser.Principal me = currentUser.get().orElseThrow();
        Optional<BusinessUnit> unit = units.find(unitId);
        boolean allowed = unit.isPresent() && !unit.get().archived() && (me.has(PortalRole.ADMIN)
                || me.has(PortalRole.MANAGER) && unit.get().managers().contains(me.username()));
        if (!allowed) {
            events.publishEvent(new SecurityEvents.AccessDenied(me.username(), what + " unit:" + unitId));
            throw new AccessDeniedException(texts.text("chat.refused.notAllowed"));
        }
        return unit.get();
    }

    private URI validate(Channel channel, String value) {
        if (value.isEmpty()) {
            throw FieldErrors.of(channel.field(), texts.text("chat.refused.empty", channel.label()));
        }
        if (value.length() > MAX_URL) {
            throw FieldErrors.of(channel.field(), texts.text("chat.refused.tooLong", MAX_URL));
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw FieldErrors.of(channel.field(), texts.text("chat.refused.notUrl"));
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        boolean http = properties.allowHttp() && "http".equalsIgnoreCase(uri.getScheme());
        if (!(https || http) || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw FieldErrors.of(channel.field(), texts.text("chat.refused.notHttps"));
        }
        if (!properties.allows(uri.getHost())) {
            throw FieldErrors.of(channel.field(), texts.text("chat.refused.host", String.valueOf(uri.getHost()),
                    String.join(", ", properties.allowedHosts())));
        }
        if (uri.getRawPath() == null || uri.getRawPath().length() < 2) {
            throw FieldErrors.of(channel.field(), texts.text("chat.refused.noPath", channel.label()));
        }
        return uri;
    }

    /** The host and the last four characters: enough to recognise the webhook, never enough to use it. */
    static String hint(URI uri) {
        String s = uri.toString();
        return uri.getHost() + " …" + s.substring(Math.max(0, s.length() - 4));
    }
}
