package com.bedrockportal.workflow;

/**
 * Names used by the access-request process. Variables hold ids and decisions only: never a key, a secret or a
 * policy. The request id is also the business key.
 */
public final class ProcessVariables {

    public static final String PROCESS_KEY = "bedrock-access-request";
    public static final String REQUEST_ID = "requestId";
    public static final String MANAGER_APPROVED = "managerApproved";
    public static final String SECURITY_APPROVED = "securityApproved";
    public static final String MESSAGE_WITHDRAWN = "RequestWithdrawn";
    public static final String MESSAGE_KEY_REVEALED = "KeyRevealed";

    public static final String TASK_MANAGER_APPROVAL = "UserTask_ManagerApproval";
    public static final String TASK_SECURITY_REVIEW = "UserTask_SecurityReview";
    public static final String REMIND_MANAGERS = "ServiceTask_RemindManagers";

    /** The Camunda candidate group of the security review: the portal role's name. */
    public static final String SECURITY_GROUP = "SECURITY";

    private ProcessVariables() {
    }

    // --- bedrock-application-decommission (bpmn/application-decommission.bpmn); the decommission id is also the
    // business key. MANAGER_APPROVED above is its manager's decision as well.

    public static final String DECOMMISSION_PROCESS_KEY = "bedrock-application-decommission";
    public static final String DECOMMISSION_ID = "decommissionId";
    public static final String APPROVAL_REQUIRED = "approvalRequired";
    public static final String TASK_DECOMMISSION_APPROVAL = "UserTask_DecommissionApproval";

    // --- bedrock-key-rotation (bpmn/bedrock-key-rotation.bpmn); the rotation id is also the business key.

    public static final String ROTATION_PROCESS_KEY = "bedrock-key-rotation";
    public static final String ROTATION_ID = "rotationId";
    /** Whether an old key is there to replace (both keys work for a while), else the rotation ends at the reveal. */
    public static final String ROTATION_OVERLAP = "overlap";
    public static final String ROTATION_CUT_OVER_DUE = "cutOverDue";
    /** The new key went straight to the application's Secrets Manager copy: no reveal to wait for. */
    public static final String ROTATION_DELIVERED = "delivered";
    /** The hand-over to Secrets Manager fell back to the owner's reveal: the process waits for it. */
    public static final String ROTATION_AWAIT_REVEAL = "awaitReveal";
    public static final String MESSAGE_ROTATION_KEY_REVEALED = "RotationKeyRevealed";
    public static final String MESSAGE_ROTATION_SWITCHED = "RotationSwitched";
    /** The sequence flow back to the reveal when a hand-over to Secrets Manager falls back to it. */
    public static final String FLOW_ROTATION_REVEAL_INSTEAD = "Flow_RevealInstead";
    // --- bedrock-key-compromise (bpmn/bedrock-key-compromise.bpmn); the case id is also the business key. The steps
    // read who reported and who decided (the triage too) from the compromise_case row, never from variables.

    public static final String COMPROMISE_PROCESS_KEY = "bedrock-key-compromise";
    public static final String CASE_ID = "caseId";
    public static final String TASK_COMPROMISE_TRIAGE = "UserTask_SecurityTriage";
    public static final String TASK_POST_INCIDENT_REPORT = "UserTask_PostIncidentReport";

    // --- bedrock-access-review (bpmn/bedrock-access-review.bpmn); the campaign id is also the business key, and
    // each unit's review runs as one instance of the multi-instance subprocess with its id. The steps read the
    // campaign, the units and the decisions from the access_review_* rows, never from these variables.

    public static final String REVIEW_PROCESS_KEY = "bedrock-access-review";
    public static final String REVIEW_CAMPAIGN_ID = "campaignId";
    public static final String REVIEW_UNIT_ID = "unitReviewId";
    public static final String TASK_REVIEW_UNIT = "UserTask_ReviewUnit";
    /** Starts a campaign security started (the quarterly timer is the model's other start). */
    public static final String MESSAGE_REVIEW_STARTED = "AccessReviewStarted";
}
