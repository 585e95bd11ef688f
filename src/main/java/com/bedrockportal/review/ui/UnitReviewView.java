package com.bedrockportal.review.ui;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.layout.MainLayout;
import com.bedrockportal.review.AccessReviews;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.ui.Card;
import com.bedrockportal.shared.ui.FormErrors;
import com.bedrockportal.shared.ui.UserTime;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;

import jakarta.annotation.security.RolesAllowed;

/**
 * A unit's review: one card per active application with what the reviewer needs to decide (owner, models, regions,
 * IP ranges, key age and expiry, last use, spend this month and last, budget) and Keep / Reduce / Revoke. Reduce
 * records the decision and opens the change-request form on the application (for a reviewer who may file one).
 */
@Route(value = "reviews/:unitReviewId([0-9]{1,18})", layout = MainLayout.class)
@PageTitle("Access review · Bedrock Access Portal")
@RolesAllowed({ PortalRole.MANAGER_ROLE, PortalRole.SECURITY_ROLE })
public class UnitReviewView extends VerticalLayout implements BeforeEnterObserver {

    private final transient AccessReviews reviews;
    private final transient CurrentUser currentUser;
    private long unitReviewId = -1;

    public UnitReviewView(AccessReviews reviews, CurrentUser currentUser) {
        this.reviews = reviews;
        this.currentUser = currentUser;
        addClassName("portal-page");
        setId("unit-review");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        unitReviewId = event.getRouteParameters().get("unitReviewId").map(Long::parseLong).orElse(-1L);
        show();
    }

    private void show() {
        removeAll();
        Optional<AccessReviews.UnitPage> page = reviews.unitPage(unitReviewId);
        if (page.isEmpty()) {
            add(new H2(getTranslation("review.unit.notFound")));
            return;
        }
        AccessReviews.UnitPage p = page.get();
        add(new H2(getTranslation("review.unit.title", p.review().unitName())));
        Paragraph summary = new Paragraph(getTranslation("review.unit.summary", p.review().decided(),
                p.review().total(), UserTime.format(p.review().deadline()), String.join(", ", p.reviewers())));
        summary.setId("review-summary");
        add(summary);
        if (!p.review().open()) {
            Paragraph over = new Paragraph(getTranslation("review.unit.over." + p.review().status().name()));
            over.setId("review-over");
            add(over);
        }
        for (AccessReviews.Row row : p.rows()) {
            add(card(row, p.review().open()));
        }
    }

    private Card card(AccessReviews.Row row, boolean open) {
        Card card = new Card("review.unit.application", "review-app-" + row.application().id());
        card.getElement().setAttribute("data-application", row.application().slug());
        card.getChildren().findFirst().ifPresent(h -> h.getElement().setText(row.application().displayName()));
        var a = row.application().access();
        card.row("review.field.owner", row.application().owner());
        card.row("review.field.models", row.models());
        card.row("review.field.regions", String.join(", ", a.regions()));
        card.row("review.field.ips", a.sourceCidrs().isEmpty() ? getTranslation("review.field.ips.any")
                : String.join(", ", a.sourceCidrs()));
        card.row("review.field.key", row.key() == null ? getTranslation("review.field.key.none")
                : getTranslation("review.field.key.value", row.key().prefix(), days(row.key().createdAt()),
                        UserTime.format(row.key().expiresAt())));
        card.row("review.field.lastUsed", row.lastUsed() == null ? getTranslation("review.field.never")
                : UserTime.format(row.lastUsed()));
        card.row("review.field.spend", getTranslation("review.field.spend.value", usd(row.spendThisMonth()),
                usd(row.spendLastMonth()), usd(a.monthlyBudget())));
        if (row.item().decision() != null) {
            Paragraph decided = new Paragraph(getTranslation("review.decided." + row.item().decision().name(),
                    row.item().decidedBy(), UserTime.format(row.item().decidedAt()),
                    row.item().comment() == null ? "" : row.item().comment()));
            decided.addClassName("review-decided");
            card.add(decided);
            return card;
        }
        if (!open) {
            return card;
        }
        if (row.item().revokeUnderWay(Instant.now().minus(AccessReviews.REVOKE_HOLDS))) {
            Span revoking = new Span(getTranslation("review.revoking", row.item().revokingBy(),
                    UserTime.format(row.item().revokingSince())));
            revoking.addClassName("review-revoking");
            card.add(revoking);
        }
        TextArea comment = new TextArea(getTranslation("review.comment"));
        comment.setHelperText(getTranslation("review.comment.helper"));
        comment.setMaxLength(AccessReviews.MAX_COMMENT);
        comment.setWidthFull();
        comment.addClassName("review-comment");
        FormErrors errors = new FormErrors().field("comment", comment);
        Button keep = new Button(getTranslation("review.keep"),
                e -> decide(row, AccessReviews.Decision.KEEP, comment, errors));
        keep.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        keep.addClassName("review-keep");
        keep.setEnabled(row.mayKeep());
        Button reduce = new Button(getTranslation("review.reduce"),
                e -> decide(row, AccessReviews.Decision.REDUCE, comment, errors));
        reduce.addClassName("review-reduce");
        Button revoke = new Button(getTranslation("review.revoke"),
                e -> decide(row, AccessReviews.Decision.REVOKE, comment, errors));
        revoke.addThemeVariants(ButtonVariant.LUMO_ERROR);
        revoke.addClassName("review-revoke");
        HorizontalLayout buttons = new HorizontalLayout(keep, reduce, revoke);
        buttons.setWrap(true);
        buttons.setAlignItems(FlexComponent.Alignment.CENTER);
        card.add(comment, buttons, errors.formLine());
        if (!row.mayKeep()) {
            Span own = new Span(getTranslation("review.ownApplication"));
            own.addClassName("review-own");
            card.add(own);
        }
        return card;
    }

    private void decide(AccessReviews.Row row, AccessReviews.Decision decision, TextArea comment, FormErrors errors) {
        errors.clear();
        try {
            reviews.decide(row.item().id(), decision, comment.getValue());
        } catch (FieldErrors e) {
            errors.show(e, null);
            return;
        } catch (AccessReviews.Refused e) {
            errors.formLine().setText(e.getMessage());
            return;
        }
        if (decision == AccessReviews.Decision.REDUCE && currentUser.has(PortalRole.REQUESTER)) {
            getUI().ifPresent(ui -> ui.navigate("requests/new",
                    QueryParameters.of("change", Long.toString(row.application().id()))));
            return;
        }
        show();
    }

    private long days(Instant since) {
        return Math.max(0, Duration.between(since, Instant.now()).toDays());
    }

    private String usd(BigDecimal amount) {
        return amount == null ? getTranslation("review.field.unknown")
                : "$" + amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
