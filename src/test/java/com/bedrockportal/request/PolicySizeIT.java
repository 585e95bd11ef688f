package com.bedrockportal.request;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.PolicySize;
import com.bedrockportal.provisioning.Provisioner;
import com.bedrockportal.provisioning.ProvisioningStep;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.ModuleTestSupport;
import com.bedrockportal.testsupport.RunAs;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A request that passes validation never fails provisioning on its policy's size: the caps (50 models, every offered
 * region, 20 ranges) allow policies far over AWS's 2,048 characters, so the size rule at submission is the guard,
 * and it measures exactly as the simulated account (IAM's rule) does. Provisioning refuses an oversized policy again,
 * with the same text, before it creates anything.
 */
@ApplicationModuleTest(mode = BootstrapMode.ALL_DEPENDENCIES, extraIncludes = "sandbox")
class PolicySizeIT extends ModuleTestSupport {

    @Autowired
    RequestService requests;
    @Autowired
    BusinessUnitService units;
    @Autowired
    ModelCatalog catalog;
    @Autowired
    RequestProperties properties;
    @Autowired
    Provisioner provisioner;
    @Autowired
    IamUsers iamUsers;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theLargestRequestTheCapsAllowIsRefusedAtSubmissionAndNothingIsStored() {
        BusinessUnit unit = Fixtures.unit(units, "ps");
        RequestDraft draft = largest(unit);

        assertThatThrownBy(() -> submit(draft)).isInstanceOfSatisfying(FieldErrors.class, e -> {
            assertThat(e.errors()).containsOnlyKeys("models");
            assertThat(e.errors().get("models")).startsWith("The policy would have ")
                    .contains("characters; AWS allows", "choose fewer models or regions");
        });
        assertThat(jdbc.queryForObject("select count(*) from access_request where business_unit_id = ?",
                Integer.class, unit.id())).isZero();
    }

    /**
     * Grows requests model by model — one region, three, every offered one; no ranges, five, the most allowed —
     * until the size rule refuses one: every request accepted on the way is provisioned (IAM user and policy in the
     * simulated account, which enforces IAM's limit), and the refusal comes from the size rule, nothing else.
     */
    @Test
    void everyRequestThatPassesValidationUpToTheCapsGetsItsPolicyApplied() {
        BusinessUnit unit = Fixtures.unit(units, "pg");
        List<CatalogModel> enabled = catalog.enabled();
        int provisioned = 0;
        int refused = 0;
        int largestApplied = 0;
        for (List<String> regions : List.of(List.of("us-east-1"), List.of("us-east-1", "us-east-2", "us-west-2"),
                properties.regions())) {
            for (int rangeCount : new int[] { 0, 5, properties.maxSourceCidrs() }) {
                List<String> chosen = new ArrayList<>();
                for (CatalogModel model : enabled) {
                    if (regions.stream().noneMatch(model::availableIn) || chosen.size() == RequestDraft.MAX_MODELS) {
                        continue;
                    }
                    chosen.add(model.modelId());
                    RequestDraft draft = draft(unit, chosen, regions, ranges(rangeCount));
                    AccessRequest request;
                    try {
                        request = submit(draft);
                    } catch (FieldErrors e) {
                        assertThat(e.errors().keySet()).hasSize(1).isSubsetOf("models", "sourceCidrs");
                        assertThat(e.errors().values().iterator().next()).contains("AWS allows 2");
                        refused++;
                        break;
                    }
                    Provisioner.Order order = order(request, unit);
                    provisioner.run(ProvisioningStep.IAM_USER, order);
                    provisioner.run(ProvisioningStep.POLICY, order);
                    assertThat(provisioner.done(request.id())).contains(ProvisioningStep.POLICY);
                    largestApplied = Math.max(largestApplied, PolicySize.count(provisioner.policy(order)));
                    provisioned++;
                }
            }
        }
        assertThat(refused).as("requests refused for their size").isPositive();
        assertThat(provisioned).as("requests provisioned").isPositive();
        assertThat(largestApplied).isLessThanOrEqualTo(PolicySize.INLINE_USER_POLICY_LIMIT)
                .isGreaterThan(PolicySize.INLINE_USER_POLICY_LIMIT - 400);
    }

    @Test
    void provisioningRefusesAnOversizedPolicyWithTheFormsTextBeforeItCreatesAnything() {
        BusinessUnit unit = Fixtures.unit(units, "pd");
        RequestDraft draft = largest(unit);
        String formText = errorsOf(draft).get("models");
        Provisioner.Order order = order(Long.MAX_VALUE, unit, draft.getApplicationSlug(),
                catalog.find(draft.getModels()), draft.getRegions(), RequestRules.tokens(draft.getSourceCidrs()));

        for (ProvisioningStep step : new ProvisioningStep[] { ProvisioningStep.IAM_USER, ProvisioningStep.POLICY }) {
            assertThatThrownBy(() -> provisioner.run(step, order)).isInstanceOfSatisfying(CloudException.class, e -> {
                assertThat(e.kind()).isEqualTo(CloudException.Kind.LIMIT_EXCEEDED);
                assertThat(e.business()).isTrue();
                assertThat(e.getMessage()).isEqualTo("PutUserPolicy: " + formText);
            });
        }
        assertThat(iamUsers.findUser(order.iamUser())).isEmpty();
        assertThat(provisioner.done(order.requestId())).isEmpty();
    }

    /** Every enabled model (at most the cap), every offered region, the most ranges allowed. */
    private RequestDraft largest(BusinessUnit unit) {
        List<String> models = catalog.enabled().stream().limit(RequestDraft.MAX_MODELS).map(CatalogModel::modelId)
                .toList();
        return draft(unit, models, properties.regions(), ranges(properties.maxSourceCidrs()));
    }

    private static RequestDraft draft(BusinessUnit unit, List<String> models, List<String> regions, String ranges) {
        RequestDraft draft = Fixtures.request(unit.id());
        draft.setModels(models);
        draft.setRegions(regions);
        draft.setSourceCidrs(ranges);
        return draft;
    }

    /** {@code count} distinct, non-overlapping ranges. */
    private static String ranges(int count) {
        return String.join("\n", IntStream.range(0, count).mapToObj(i -> "10." + i + ".0.0/16").toList());
    }

    private AccessRequest submit(RequestDraft draft) {
        return RunAs.user("alice", () -> requests.submit(draft), "REQUESTER");
    }

    private Map<String, String> errorsOf(RequestDraft draft) {
        try {
            submit(draft);
            throw new AssertionError("expected the request to be refused");
        } catch (FieldErrors e) {
            return e.errors();
        }
    }

    private Provisioner.Order order(AccessRequest r, BusinessUnit unit) {
        return order(r.id(), unit, r.applicationSlug(), catalog.find(r.models()), r.regions(), r.sourceCidrs());
    }

    /**
     * What provisioning is given for a new application (its names as provisioning derives them; the application
     * record itself is the workflow's, and the steps used here do not read it).
     */
    private static Provisioner.Order order(long requestId, BusinessUnit unit, String applicationSlug,
            List<CatalogModel> models, List<String> regions, List<String> sourceCidrs) {
        Application.AwsNames names = ApplicationNames.of(unit.slug(), applicationSlug);
        return new Provisioner.Order(requestId, "alice", unit.id(), unit.slug(), 0, applicationSlug, names.iamUser(),
                names.budgetName(), names.secretName(), unit.costCenter(), "alice@example.com", "internal", models,
                regions, sourceCidrs, 30, unit.defaultMonthlyBudget(), 80, List.of("alice@example.com"), false, true);
    }
}
