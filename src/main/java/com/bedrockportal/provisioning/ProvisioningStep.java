package com.bedrockportal.provisioning;

/** The steps of {@code SubProcess_Provision}, in order, with the activity id of each. */
public enum ProvisioningStep {
    IAM_USER("ServiceTask_EnsureIamUser", "IAM user with tags"),
    POLICY("ServiceTask_ApplyPolicy", "Least-privilege policy"),
    API_KEY("ServiceTask_CreateApiKey", "Bedrock API key (sealed)"),
    BUDGET("ServiceTask_CreateBudget", "Monthly budget with alerts"),
    SECRET("ServiceTask_StoreSecret", "Copy in Secrets Manager"),
    NOTIFY("ServiceTask_NotifyKeyReady", "Requester told the key is ready");

    private final String activityId;
    private final String label;

    ProvisioningStep(String activityId, String label) {
        this.activityId = activityId;
        this.label = label;
    }

    public String activityId() {
        return activityId;
    }

    public String label() {
        return label;
    }

    public static ProvisioningStep ofActivity(String activityId) {
        for (ProvisioningStep s : values()) {
            if (s.activityId.equals(activityId)) {
                return s;
            }
        }
        throw new IllegalArgumentException(activityId);
    }
}
