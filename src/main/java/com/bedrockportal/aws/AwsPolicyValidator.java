package com.bedrockportal.aws;

import java.util.ArrayList;
import java.util.List;

import com.bedrockportal.provisioning.PolicyValidator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.accessanalyzer.AccessAnalyzerClient;
import software.amazon.awssdk.services.accessanalyzer.model.AccessDeniedException;
import software.amazon.awssdk.services.accessanalyzer.model.PolicyType;
import software.amazon.awssdk.services.accessanalyzer.model.ValidatePolicyFinding;
import software.amazon.awssdk.services.accessanalyzer.model.ValidatePolicyResponse;

/**
 * IAM Access Analyzer {@code ValidatePolicy} on the portal's identity policies. At most {@link #MAX_PAGES} pages of
 * findings are read (a policy of the portal's size has a handful). Access denied (the portal's role lacks
 * {@code access-analyzer:ValidatePolicy}) and other failures are answers, not exceptions: the approval page still
 * opens, and says the check was skipped.
 */
class AwsPolicyValidator implements PolicyValidator {

    private static final Logger log = LoggerFactory.getLogger(AwsPolicyValidator.class);
    static final int MAX_PAGES = 3;

    private final AwsClients clients;
    /** Built on first use, then kept (AwsClients closes it with the others). */
    private AccessAnalyzerClient analyzer;

    AwsPolicyValidator(AwsClients clients) {
        this.clients = clients;
    }

    private synchronized AccessAnalyzerClient analyzer() {
        if (analyzer == null) {
            analyzer = clients.accessAnalyzer();
        }
        return analyzer;
    }

    @Override
    public Result validate(String policyJson) {
        AccessAnalyzerClient analyzer = analyzer();
        List<Finding> findings = new ArrayList<>();
        try {
            String next = null;
            int pages = 0;
            do {
                String token = next;
                ValidatePolicyResponse page = analyzer.validatePolicy(b -> b.policyDocument(policyJson)
                        .policyType(PolicyType.IDENTITY_POLICY).nextToken(token));
                for (ValidatePolicyFinding f : page.findings()) {
                    findings.add(new Finding(f.findingTypeAsString(), f.issueCode(), f.findingDetails(),
                            f.learnMoreLink()));
                }
                next = page.nextToken();
                pages++;
            } while (next != null && pages < MAX_PAGES);
            return new Result(Status.CHECKED, List.copyOf(findings));
        } catch (AccessDeniedException e) {
            log.info("IAM Access Analyzer ValidatePolicy denied to the portal (access-analyzer:ValidatePolicy missing)");
            return new Result(Status.DENIED, List.of());
        } catch (SdkException e) {
            log.warn("IAM Access Analyzer ValidatePolicy failed: {}", e.getClass().getSimpleName());
            return new Result(Status.FAILED, List.of());
        }
    }
}
