package com.bedrockportal.request;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What a request adds for its lint and its cost estimate: the guardrail it requires and its expected volume. */
@Repository
class RequestRisks {

    /** Empty values are null. */
    record Risk(String guardrailArn, Integer requestsPerDay, Integer inputTokensPerRequest,
            Integer outputTokensPerRequest) {

        static final Risk NONE = new Risk(null, null, null, null);

        /** From a validated draft. */
        static Risk of(RequestDraft d) {
            String guardrail = d.getGuardrailArn() == null || d.getGuardrailArn().isBlank() ? null
                    : d.getGuardrailArn().strip();
            return new Risk(guardrail, d.getRequestsPerDay(), d.getInputTokensPerRequest(),
                    d.getOutputTokensPerRequest());
        }
    }

    private final JdbcClient jdbc;

    RequestRisks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code baseGuardrail}: for a change, the guardrail its application required at submission (null: none). */
    void insert(long requestId, Risk risk, String baseGuardrail) {
        jdbc.sql("""
                insert into request_risk (request_id, guardrail_arn, requests_per_day, input_tokens_per_request,
                    output_tokens_per_request, base_guardrail_arn) values (:id, :g, :rpd, :in, :out, :base)""")
                .param("id", requestId).param("g", risk.guardrailArn()).param("base", baseGuardrail)
                .param("rpd", risk.requestsPerDay())
                .param("in", risk.inputTokensPerRequest()).param("out", risk.outputTokensPerRequest()).update();
    }

    Risk ofRequest(long requestId) {
        return jdbc.sql("select * from request_risk where request_id = :id").param("id", requestId)
                .query((rs, n) -> new Risk(rs.getString("guardrail_arn"), (Integer) rs.getObject("requests_per_day"),
                        (Integer) rs.getObject("input_tokens_per_request"),
                        (Integer) rs.getObject("output_tokens_per_request")))
                .optional().orElse(Risk.NONE);
    }

    /** A change request's guardrail before and after it, as submitted. */
    GuardrailChange changeOf(long requestId) {
        return jdbc.sql("select base_guardrail_arn, guardrail_arn from request_risk where request_id = :id")
                .param("id", requestId).query((rs, n) -> new GuardrailChange(rs.getString(1), rs.getString(2)))
                .optional().orElse(GuardrailChange.NONE);
    }

    /** The guardrail of the application's access now: that of its last provisioned request. */
    Risk ofApplication(long applicationId) {
        return lastProvisioned(applicationId).map(this::ofRequest).orElse(Risk.NONE);
    }

    /** The application's last provisioned request, if any. */
    java.util.Optional<Long> lastProvisioned(long applicationId) {
        return jdbc.sql("""
                select r.id from access_request r where r.application_id = :app and r.status = 'PROVISIONED'
                order by r.id desc fetch first 1 rows only""").param("app", applicationId).query(Long.class)
                .optional();
    }
}
