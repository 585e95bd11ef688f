package com.bedrockportal.request;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.bedrockportal.catalog.CatalogModel;
import com.bedrockportal.catalog.CostEstimate;
import com.bedrockportal.catalog.ModelCatalog;
import com.bedrockportal.catalog.ModelPriceTable;
import com.bedrockportal.provisioning.PolicyValidator;
import com.bedrockportal.shared.FormValidation;

import jakarta.annotation.security.PermitAll;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the request form and the approval page show beside the policy: the policy lint ({@link PolicyLint}) and the
 * cost estimate ({@link CostEstimate}) — for a draft as the user types, and for a submitted request (only to those
 * who may see it: {@link RequestService#find}) with the same rules.
 */
@Service
public class RequestChecks {

    private final RequestService requests;
    private final RequestRisks risks;
    private final RequestProperties properties;
    private final RiskProperties risk;
    private final ModelCatalog catalog;
    private final ModelPriceTable prices;
    private final FormValidation texts;
    /** IAM Access Analyzer (aws mode only). */
    private final ObjectProvider<PolicyValidator> analyzer;

    RequestChecks(RequestService requests, RequestRisks risks, RequestProperties properties, RiskProperties risk,
            ModelCatalog catalog, ModelPriceTable prices, FormValidation texts,
            ObjectProvider<PolicyValidator> analyzer) {
        this.analyzer = analyzer;
        this.requests = requests;
        this.risks = risks;
        this.properties = properties;
        this.risk = risk;
        this.catalog = catalog;
        this.prices = prices;
        this.texts = texts;
    }

    /**
     * The lint of a draft over the policy {@link RequestService#preview} shows; its errors are refused by the submit
     * too. Lists over their caps are left out as in the preview.
     */
    @PermitAll
    @Transactional(readOnly = true)
    public List<LintFinding> lint(RequestDraft draft) {
        PolicyPreview p = requests.preview(draft);
        return PolicyLint.check(new PolicyLint.Input(p.policyJson(), typedRanges(draft), draft.getLifetimeDays(),
                risk.orgMaxKeyLifetimeDays(), draft.getDataClassification(), RequestService.guardrailOf(draft),
                p.policyCharacters(), p.policyLimit()), texts);
    }

    /**
     * The lint of a submitted request, for its approvers: the same rules as on the form. Not in a transaction: the
     * reads take a connection each and give it back before IAM Access Analyzer is asked (until 6 December the approval
     * page held one for as long as Access Analyzer took to answer).
     */
    @PermitAll
    public List<LintFinding> lintOf(long requestId) {
        Optional<AccessRequest> request = requests.find(requestId);
        Optional<PolicyPreview> policy = request.flatMap(r -> requests.policyOf(r.id()));
        if (request.isEmpty() || policy.isEmpty()) {
            return List.of();
        }
        AccessRequest r = request.get();
        PolicyPreview p = policy.get();
        List<LintFinding> findings = new ArrayList<>(PolicyLint.check(new PolicyLint.Input(p.policyJson(),
                r.sourceCidrs(), r.lifetimeDays(), risk.orgMaxKeyLifetimeDays(), r.dataClassification(),
                risks.ofRequest(r.id()).guardrailArn(), p.policyCharacters(), p.policyLimit()), texts));
        findings.addAll(accessAnalyzer(p.policyJson()));
        return List.copyOf(findings);
    }

    /**
     * IAM Access Analyzer's findings on the policy, when the portal runs against AWS and the setting allows it; else
     * one SKIPPED line that says why. Only on the approval page: the form would call AWS on every keystroke.
     */
    List<LintFinding> accessAnalyzer(String policyJson) {
        PolicyValidator validator = analyzer.getIfAvailable();
        if (!risk.accessAnalyzer()) {
            return List.of(skipped("lint.access_analyzer.off"));
        }
        if (validator == null) {
            return List.of(skipped("lint.access_analyzer.sandbox"));
        }
        PolicyValidator.Result result = validator.validate(policyJson);
        if (result.status() == PolicyValidator.Status.DENIED) {
            return List.of(skipped("lint.access_analyzer.denied"));
        }
        if (result.status() == PolicyValidator.Status.FAILED) {
            return List.of(skipped("lint.access_analyzer.failed"));
        }
        if (result.findings().isEmpty()) {
            return List.of(new LintFinding(LintFinding.Rule.ACCESS_ANALYZER, LintFinding.Severity.OK,
                    texts.text("lint.access_analyzer.ok"), ""));
        }
        return result.findings().stream().map(f -> new LintFinding(LintFinding.Rule.ACCESS_ANALYZER,
                "ERROR".equals(f.type()) ? LintFinding.Severity.ERROR : LintFinding.Severity.WARNING,
                texts.text("lint.access_analyzer.finding", f.type(), f.issueCode(), f.details()),
                f.learnMoreLink() == null ? "" : texts.text("lint.access_analyzer.finding.fix", f.learnMoreLink())))
                .toList();
    }

    private LintFinding skipped(String reasonKey) {
        return new LintFinding(LintFinding.Rule.ACCESS_ANALYZER, LintFinding.Severity.SKIPPED,
                texts.text("lint.access_analyzer.skipped", texts.text(reasonKey)), "");
    }

    /** The cost estimate of a draft's volume for its enabled models (capped as the preview is), beside its budget. */
    @PermitAll
    @Transactional(readOnly = true)
    public CostEstimate.Estimate estimate(RequestDraft draft) {
        List<CatalogModel> models = draft.getModels().size() > RequestDraft.MAX_MODELS ? List.of()
                : catalog.find(draft.getModels()).stream().filter(CatalogModel::enabled).toList();
        return estimate(models, new CostEstimate.Volume(inRange(draft.getRequestsPerDay(),
                RequestDraft.MAX_REQUESTS_PER_DAY), inRange(draft.getInputTokensPerRequest(),
                        RequestDraft.MAX_TOKENS_PER_REQUEST), inRange(draft.getOutputTokensPerRequest(),
                                RequestDraft.MAX_TOKENS_PER_REQUEST)), draft.getMonthlyBudget());
    }

    /** The cost estimate of a submitted request, with today's prices. */
    @PermitAll
    @Transactional
    public Optional<CostEstimate.Estimate> estimateOf(long requestId) {
        return requests.find(requestId).map(r -> {
            RequestRisks.Risk v = risks.ofRequest(r.id());
            return estimate(catalog.find(r.models()), new CostEstimate.Volume(v.requestsPerDay(),
                    v.inputTokensPerRequest(), v.outputTokensPerRequest()), r.monthlyBudget());
        });
    }

    private CostEstimate.Estimate estimate(List<CatalogModel> models, CostEstimate.Volume volume, BigDecimal budget) {
        return CostEstimate.estimate(models, prices.pricesOf(models), volume, budget, risk.budgetFarAboveFactor());
    }

    private List<String> typedRanges(RequestDraft draft) {
        String text = draft.getSourceCidrs() == null ? "" : draft.getSourceCidrs();
        if (text.length() > properties.maxSourceCidrs() * (RequestDraft.CIDR_TEXT_MAX + 2)) {
            return List.of();
        }
        List<String> tokens = RequestRules.tokens(text);
        return tokens.size() > properties.maxSourceCidrs() ? List.of() : new ArrayList<>(tokens);
    }

    /** A value out of range counts as not given (the submit refuses it with its message). */
    private static Integer inRange(Integer value, int max) {
        return value == null || value < 0 || value > max ? null : value;
    }
}
