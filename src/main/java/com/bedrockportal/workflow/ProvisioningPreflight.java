package com.bedrockportal.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.provisioning.Budgets;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.PermissionCheck;
import com.bedrockportal.provisioning.PolicyBuilder;
import com.bedrockportal.provisioning.PolicySize;
import com.bedrockportal.provisioning.Provisioner;
import com.bedrockportal.provisioning.Secrets;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestLifecycle;
import com.bedrockportal.shared.FormValidation;

import org.springframework.stereotype.Component;

/**
 * "Will it provision": what approval would run into, asked of the account (simulated or AWS) before anyone approves —
 * the policy fits IAM's limit, IAM's simulation of it (SimulateCustomPolicy) allows what the key will do, a key slot
 * is free (AWS allows two per IAM user), and the names are free or this application's own. Shown on the request page and in the inbox; run again inside every approval, which a failing
 * check refuses with its reason. A check that cannot be made (AWS unreachable) fails too: nobody approves blind.
 */
@Component
public class ProvisioningPreflight {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProvisioningPreflight.class);

    /** One check: its name (a key of the translation bundle), whether it passed, and what was found. */
    public record Check(String name, boolean passed, String detail) {
    }

    private final ApplicationService applications;
    private final BusinessUnitService units;
    private final ModelCatalog catalog;
    private final Provisioner provisioner;
    private final IamUsers users;
    private final ServiceCredentials credentials;
    private final Budgets budgets;
    private final Secrets secrets;
    private final FormValidation texts;
    private final PermissionCheck permissions;
    private final RequestLifecycle requests;

    ProvisioningPreflight(ApplicationService applications, BusinessUnitService units, ModelCatalog catalog,
            Provisioner provisioner, IamUsers users, ServiceCredentials credentials, Budgets budgets, Secrets secrets,
            FormValidation texts, PermissionCheck permissions, RequestLifecycle requests) {
        this.requests = requests;
        this.permissions = permissions;
        this.applications = applications;
        this.units = units;
        this.catalog = catalog;
        this.provisioner = provisioner;
        this.users = users;
        this.credentials = credentials;
        this.budgets = budgets;
        this.secrets = secrets;
        this.texts = texts;
    }

    /** Every check for the request, in order; the caller has checked the user may see it. */
    public List<Check> checks(AccessRequest r) {
        List<Check> checks = new ArrayList<>();
        BusinessUnit unit = units.find(r.businessUnitId()).orElseThrow();
        Application app = r.applicationId() == null ? null : applications.load(r.applicationId());
        Application.AwsNames names = app != null ? app.names() : ApplicationNames.of(unit.slug(), r.applicationSlug());

        List<CatalogModel> models = catalog.find(r.models());
        try {
            // The account id comes from the account (STS) too: inside, so an account that cannot be asked is a check.
            PolicyBuilder.PolicyInput input = new PolicyBuilder.PolicyInput(models, r.regions(), r.sourceCidrs(),
                    provisioner.accountId(), requests.guardrailOf(r.id()).orElse(null));
            PolicySize size = PolicyBuilder.measure(input);
            checks.add(new Check("policySize", size.fits(), size.fits()
                    ? String.format("%,d of %,d characters", size.characters(), size.limit()) : size.tooLarge(texts)));
            checks.add(simulation(PolicyBuilder.build(input), models, r));
            boolean userExists = users.findUser(names.iamUser()).isPresent();
            if (app == null) {
                checks.add(new Check("iamUser", !userExists, userExists
                        ? names.iamUser() + " already exists in AWS, but no application of the portal records it: "
                                + "provisioning would take it over. Ask the platform team to look at it first."
                        : names.iamUser() + " is free"));
            } else {
                checks.add(new Check("iamUser", true, names.iamUser() + (userExists ? " is this application's"
                        : " is recorded by this application (it will be created again)")));
            }
            if (RequestRoutes.issuesKey(r)) {
                int keys = userExists ? credentials.listServiceCredentials(names.iamUser(),
                        ServiceCredentials.BEDROCK_SERVICE).size() : 0;
                checks.add(new Check("keySlot", keys < 2, keys < 2 ? keys + " of 2 key slots in use"
                        : "2 of 2 key slots in use: revoke one of the application's keys before approving a new one"));
            }
            checks.add(owned("budget", names.budgetName(), app != null,
                    names.budgetName() != null && budgets.findBudget(names.budgetName()).isPresent()));
            if (r.storeSecret() && RequestRoutes.issuesKey(r)) {
                checks.add(owned("secret", names.secretName(), app != null,
                        names.secretName() != null && secrets.findSecret(names.secretName()).isPresent()));
            }
        } catch (CloudException e) {
            // Approvers see the call, its kind and a log reference: AWS's own words can name the portal's role.
            checks.add(new Check("account", false, "The account could not be asked ("
                    + e.forPeopleLogged(log, "Will it provision, request " + r.id()) + "); approve once it answers."));
        }
        return List.copyOf(checks);
    }

    /** At most this many model/region cases are simulated (one IAM call each in aws mode). */
    static final int MAX_SIMULATED = 20;

    /**
     * The policy simulated on what the key will do: each approved model in each of its approved regions, called from
     * the first approved range's address with the required guardrail, must be allowed — and with it the bearer-token
     * call the key needs.
     */
    private Check simulation(String policy, List<CatalogModel> models, AccessRequest r) {
        Map<String, String> from = new java.util.LinkedHashMap<>();
        if (!r.sourceCidrs().isEmpty()) {
            String first = r.sourceCidrs().get(0);
            from.put("aws:SourceIp", first.substring(0, first.indexOf('/')));
        }
        // The key's calls carry the guardrail its policy requires (without it every call is refused, as intended).
        Map<String, String> invoke = new java.util.LinkedHashMap<>(from);
        requests.guardrailOf(r.id()).ifPresent(g -> invoke.put(PolicyBuilder.GUARDRAIL_KEY, g));
        List<PermissionCheck.SimulationCase> cases = new ArrayList<>();
        int total = 0;
        for (CatalogModel model : models) {
            for (String region : r.regions()) {
                if (model.availableIn(region)) {
                    total++;
                    if (cases.size() < MAX_SIMULATED) {
                        Map<String, String> context = new java.util.LinkedHashMap<>(invoke);
                        context.put("aws:RequestedRegion", region);
                        cases.add(new PermissionCheck.SimulationCase("bedrock:InvokeModel",
                                model.arn(region, provisioner.accountId()), context));
                    }
                }
            }
        }
        Map<String, String> bearer = new java.util.LinkedHashMap<>(from);
        bearer.put("aws:RequestedRegion", r.regions().isEmpty() ? "us-east-1" : r.regions().get(0));
        cases.add(new PermissionCheck.SimulationCase("bedrock:CallWithBearerToken", "*", bearer));
        List<PermissionCheck.SimulationCase> refused = permissions.notAllowedBy(policy, cases);
        if (refused.isEmpty()) {
            return new Check("policySimulation", true, "allows each of " + (total > MAX_SIMULATED
                    ? "the first " + MAX_SIMULATED + " of " + total : String.valueOf(total))
                    + " model/region pairs and the bearer-token call");
        }
        return new Check("policySimulation", false, "the policy would not allow " + refused.stream()
                .map(c -> c.action() + " on " + c.resourceArn() + " in " + c.context().get("aws:RequestedRegion"))
                .collect(java.util.stream.Collectors.joining("; ")) + ".");
    }

    /** The failing checks' details; empty when the request may be approved. */
    public List<String> blockers(AccessRequest r) {
        return checks(r).stream().filter(c -> !c.passed()).map(Check::detail).toList();
    }

    /** How long a listed request's answer is reused: the inbox re-renders after every click of every row. */
    public static final java.time.Duration LISTED_FOR = java.time.Duration.ofSeconds(60);

    private record Listed(java.time.Instant updatedAt, java.time.Instant at, List<String> blockers) {
    }

    private final Map<Long, Listed> listed = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * {@link #blockers} for a list: the answer for the same request (unchanged since) is reused for
     * {@link #LISTED_FOR}, so rendering the inbox again does not ask AWS again for every row. Never for a decision.
     */
    public List<String> listedBlockers(AccessRequest r) {
        java.time.Instant now = java.time.Instant.now();
        Listed known = listed.get(r.id());
        if (known != null && java.util.Objects.equals(known.updatedAt(), r.updatedAt())
                && known.at().plus(LISTED_FOR).isAfter(now)) {
            return known.blockers();
        }
        List<String> fresh = blockers(r);
        if (listed.size() > 1_000) {
            listed.entrySet().removeIf(e -> e.getValue().at().plus(LISTED_FOR).isBefore(now));
            if (listed.size() > 1_000) {
                listed.clear();
            }
        }
        listed.put(r.id(), new Listed(r.updatedAt(), now, fresh));
        return fresh;
    }

    /** A name that exists must be this application's: a change's recorded names are; a new one's must be free. */
    private static Check owned(String what, String name, boolean recorded, boolean exists) {
        if (name == null) {
            return new Check(what, true, "a name is recorded when it is first created");
        }
        if (!exists) {
            return new Check(what, true, name + " is free");
        }
        return recorded ? new Check(what, true, name + " is this application's")
                : new Check(what, false, name + " already exists in AWS, but no application of the portal records "
                        + "it: provisioning would take it over. Ask the platform team to look at it first.");
    }
}
