package com.bedrockportal.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Budgets' UpdateBudget, which moto lacks: carried out on moto as DeleteBudget followed by CreateBudget with the new
 * definition (notifications are replaced by the adapter afterwards, as it does against AWS). Test-only emulation.
 */
public class BudgetUpdateStub implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "budgets-update";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String moto;
    private final HttpClient http = HttpClient.newHttpClient();

    public BudgetUpdateStub(String moto) {
        this.moto = moto;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        try {
            JsonNode request = JSON.readTree(event.getRequest().getBodyAsString());
            String account = request.path("AccountId").asText();
            JsonNode budget = request.path("NewBudget");
            ObjectNode delete = JSON.createObjectNode().put("AccountId", account)
                    .put("BudgetName", budget.path("BudgetName").asText());
            ObjectNode create = JSON.createObjectNode().put("AccountId", account);
            create.set("Budget", budget);
            for (var call : new Object[][] { { "DeleteBudget", delete }, { "CreateBudget", create } }) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(moto + "/"))
                        .header("X-Amz-Target", "AWSBudgetServiceGateway." + call[0])
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLETESTONLY/20260101/us-east-1/budgets/aws4_request, SignedHeaders=host, Signature=0")
                        .POST(HttpRequest.BodyPublishers.ofString(call[1].toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() >= 300) {
                    return new ResponseDefinitionBuilder().withStatus(response.statusCode())
                            .withHeader("Content-Type", "application/x-amz-json-1.1").withBody(response.body()).build();
                }
            }
            return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type",
                    "application/x-amz-json-1.1").withBody("{}").build();
        } catch (Exception e) {
            return new ResponseDefinitionBuilder().withStatus(500).withBody(e.toString()).build();
        }
    }
}
