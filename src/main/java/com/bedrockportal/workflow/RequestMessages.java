package com.bedrockportal.workflow;

import java.util.List;

import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.notification.Notifier;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestLifecycle;

import org.springframework.stereotype.Component;

/** The notifications of the approval workflow, worded in one place. */
@Component
class RequestMessages {

    private final Notifier notifier;
    private final RequestLifecycle requests;
    private final BusinessUnitService units;
    private final ModelCatalog catalog;

    RequestMessages(Notifier notifier, RequestLifecycle requests, BusinessUnitService units, ModelCatalog catalog) {
        this.catalog = catalog;
        this.notifier = notifier;
        this.requests = requests;
        this.units = units;
    }

    void toApprovers(Stage stage, long requestId, List<String> approvers, boolean reminder) {
        AccessRequest r = requests.get(requestId).orElseThrow();
        String unit = unitName(r);
        String title = (reminder ? "Reminder: " : "") + "Request #" + requestId + " for " + unit + " awaits your "
                + (stage == Stage.MANAGER ? "approval" : "security review");
        String body = r.requester() + " asks for Bedrock access for " + unit + ": " + catalog.names(r.models())
                + " in " + String.join(", ", r.regions()) + ", key lifetime " + r.lifetimeDays() + " days, budget "
                + r.monthlyBudget().toPlainString() + " USD a month.";
        notifier.notify(approvers, title, body, link(requestId));
        // The unit's channel: Approve and Reject buttons in Slack, the same rules as the page.
        notifier.chat(r.businessUnitId(), (reminder ? "Reminder: " : "") + "Request #" + requestId + " for " + unit
                + " awaits " + (stage == Stage.MANAGER ? "a manager's approval" : "security review"), body,
                link(requestId), new Notifier.ChatApproval(requestId, stage.name()));
    }

    void toApproversWithdrawn(long requestId, List<String> approvers, String unit) {
        notifier.notify(approvers, "Request #" + requestId + " was withdrawn",
                "The requester withdrew the request for " + unit + "; no decision is needed.", link(requestId));
    }

    void toRequester(long requestId, String title, String body) {
        AccessRequest r = requests.get(requestId).orElseThrow();
        notifier.notify(List.of(r.requester()), title, body, link(requestId));
        notifier.chat(r.businessUnitId(), title + " (" + unitName(r) + ")", "Requested by " + r.requester()
                + (r.applicationName() == null ? "" : " for " + r.applicationName()) + ".", link(requestId), null);
    }

    String unitName(AccessRequest r) {
        return units.find(r.businessUnitId()).map(u -> u.displayName()).orElse("unit " + r.businessUnitId());
    }

    static String link(long requestId) {
        return "requests/" + requestId;
    }
}
