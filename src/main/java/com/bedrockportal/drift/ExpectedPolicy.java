package com.bedrockportal.drift;

import com.bedrockportal.application.Application;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.provisioning.AccountIdentity;
import com.bedrockportal.provisioning.PolicyBuilder;

import org.springframework.stereotype.Component;

/** The policy the portal would put on an application's IAM user: {@link PolicyBuilder} on its approved access. */
@Component
class ExpectedPolicy {

    private final ModelCatalog catalog;
    private final AccountIdentity identity;

    ExpectedPolicy(ModelCatalog catalog, AccountIdentity identity) {
        this.catalog = catalog;
        this.identity = identity;
    }

    /** The account id the policies' ARNs name (one STS call). */
    String account() {
        return identity.callerIdentity().account();
    }

    String policy(Application app, String account) {
        Application.Access access = app.access();
        return PolicyBuilder.build(new PolicyBuilder.PolicyInput(catalog.find(access.models()), access.regions(),
                access.sourceCidrs(), account));
    }
}
