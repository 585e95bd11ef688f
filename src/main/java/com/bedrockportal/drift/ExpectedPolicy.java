package com.bedrockportal.drift;

import com.bedrockportal.application.Application;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.provisioning.AccountIdentity;
import com.bedrockportal.provisioning.PolicyBuilder;
import com.bedrockportal.request.RequestLifecycle;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** The policy the portal would put on an application's IAM user: {@link PolicyBuilder} on its approved access. */
@Component
class ExpectedPolicy {

    private final ModelCatalog catalog;
    private final AccountIdentity identity;
    /** Where the guardrail an application's policy requires is recorded (absent in module tests). */
    private final ObjectProvider<RequestLifecycle> requests;

    ExpectedPolicy(ModelCatalog catalog, AccountIdentity identity, ObjectProvider<RequestLifecycle> requests) {
        this.catalog = catalog;
        this.identity = identity;
        this.requests = requests;
    }

    /** The account id the policies' ARNs name (one STS call). */
    String account() {
        return identity.callerIdentity().account();
    }

    String policy(Application app, String account) {
        Application.Access access = app.access();
        RequestLifecycle lifecycle = requests.getIfAvailable();
        String guardrail = lifecycle == null ? null : lifecycle.guardrailOfApplication(app.id()).orElse(null);
        return PolicyBuilder.build(new PolicyBuilder.PolicyInput(catalog.find(access.models()), access.regions(),
                access.sourceCidrs(), account, guardrail));
    }
}
