package com.bedrockportal.workflow;

import com.bedrockportal.identity.PortalRole;

/** The two approval stages. */
public enum Stage {
    MANAGER(ProcessVariables.TASK_MANAGER_APPROVAL, ProcessVariables.MANAGER_APPROVED),
    SECURITY(ProcessVariables.TASK_SECURITY_REVIEW, ProcessVariables.SECURITY_APPROVED);

    private final String taskKey;
    private final String variable;

    Stage(String taskKey, String variable) {
        this.taskKey = taskKey;
        this.variable = variable;
    }

    public String taskKey() {
        return taskKey;
    }

    String variable() {
        return variable;
    }

    /** The portal role that decides at this stage. */
    public PortalRole role() {
        return this == MANAGER ? PortalRole.MANAGER : PortalRole.SECURITY;
    }

    static Stage ofTask(String taskDefinitionKey) {
        for (Stage s : values()) {
            if (s.taskKey.equals(taskDefinitionKey)) {
                return s;
            }
        }
        throw new IllegalArgumentException("not an approval task: " + taskDefinitionKey);
    }
}
