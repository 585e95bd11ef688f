package com.bedrockportal.workflow;

import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestLifecycle;

import org.springframework.stereotype.Component;

/**
 * Which way a request goes, computed from the stored request (never from a process variable): referenced by the
 * process model's gateways ({@code ${routes.securityReview(requestId)}}, {@code ${routes.issuesKey(requestId)}},
 * {@code ${routes.copiesToSecretsManager(requestId)}}) and used by the approval service and the
 * steps' checks, so all three agree.
 */
@Component("routes")
public class RequestRoutes {

    private final RequestLifecycle requests;

    RequestRoutes(RequestLifecycle requests) {
        this.requests = requests;
    }

    /**
     * Whether security reviews the request: every new application, and every change that widens access — judged
     * again from the request's recorded baseline, whatever was decided at submission.
     */
    public boolean securityReview(Object requestId) {
        return securityReview(request(requestId));
    }

    /**
     * Whether provisioning issues a key (then the process waits for the reveal): new applications, and changes that
     * ask — unless the application uses 12-hour keys only.
     */
    public boolean issuesKey(Object requestId) {
        return issuesKey(request(requestId));
    }

    /**
     * Whether provisioning goes through the Secrets Manager step: a request that asks for the copy, or a change that
     * drops it (its own job, since it calls AWS); the others go from the budget straight to telling the requester.
     */
    public boolean copiesToSecretsManager(Object requestId) {
        return copiesToSecretsManager(request(requestId));
    }

    public static boolean securityReview(AccessRequest request) {
        return !request.isChange() || request.securityReview() || request.change().widens();
    }

    /**
     * The request page shows the Secrets Manager step on the same rule as the model's gateway: a request that asks for
     * the copy, and a change that drops the copy its application had (the step deletes it).
     */
    public static boolean copiesToSecretsManager(AccessRequest request) {
        return request.storeSecret() || (request.isChange() && request.baseline() != null
                && request.baseline().storeSecret());
    }

    /** Never for an application with 12-hour keys only: it has a role, and its members get keys on demand. */
    public static boolean issuesKey(AccessRequest request) {
        return !request.shortTermOnly() && (!request.isChange() || request.newKey());
    }

    private AccessRequest request(Object requestId) {
        return requests.get(((Number) requestId).longValue()).orElseThrow();
    }
}
