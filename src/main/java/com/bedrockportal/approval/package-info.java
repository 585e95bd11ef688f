/**
 * The approval workflow: the {@code bedrock-access-request} process (manager approval, then security review, with
 * reminder and expiry timers and withdrawal), its delegates, the approvers' inbox and the decision rules
 * ({@link com.bedrockportal.approval.ApprovalService}).
 */
package com.bedrockportal.approval;
