package com.bedrockportal.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Budgets' DescribeSubscribersForNotification, which moto lacks: answered from the CreateBudget, CreateNotification
 * and DeleteNotification requests that passed through the WireMock front to moto (response shape from the AWS
 * Budgets API reference).
 */
public class BudgetSubscribersStub implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "budgets-subscribers";
    private static final ObjectMapper JSON = new ObjectMapper();
    private Supplier<List<ServeEvent>> journal = List::of;

    public void readFrom(Supplier<List<ServeEvent>> journal) {
        this.journal = journal;
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
            String budget = request.path("BudgetName").asText();
            String wanted = key(request.path("Notification"));
            Map<String, JsonNode> subscribers = new LinkedHashMap<>();
            List<ServeEvent> history = new ArrayList<>(journal.get());
            history.sort((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()));
            for (ServeEvent past : history) {
                String target = past.getRequest().getHeader("X-Amz-Target");
                if (target == null || past.getResponse().getStatus() >= 300) {
                    continue;
                }
                JsonNode body = JSON.readTree(past.getRequest().getBodyAsString());
                if (target.endsWith(".CreateBudget") && budget.equals(body.path("Budget").path("BudgetName").asText())) {
                    for (JsonNode n : body.path("NotificationsWithSubscribers")) {
                        subscribers.put(key(n.path("Notification")), n.path("Subscribers"));
                    }
                } else if (target.endsWith(".CreateNotification") && budget.equals(body.path("BudgetName").asText())) {
                    subscribers.put(key(body.path("Notification")), body.path("Subscribers"));
                } else if (target.endsWith(".DeleteNotification") && budget.equals(body.path("BudgetName").asText())) {
                    subscribers.remove(key(body.path("Notification")));
                }
            }
            JsonNode found = subscribers.getOrDefault(wanted, JSON.createArrayNode());
            return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody("{\"Subscribers\":" + found + "}").build();
        } catch (Exception e) {
            return new ResponseDefinitionBuilder().withStatus(500).withBody(e.toString()).build();
        }
    }

    private static String key(JsonNode notification) {
        return notification.path("NotificationType").asText() + "/" + notification.path("Threshold").asDouble();
    }
}
