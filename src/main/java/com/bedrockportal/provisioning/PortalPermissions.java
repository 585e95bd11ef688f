package com.bedrockportal.provisioning;

import java.util.List;

/** The AWS actions the portal's own identity needs (the README lists them as a ready IAM policy). */
public final class PortalPermissions {

    public static final List<String> REQUIRED = List.of(
            "sts:GetCallerIdentity",
            "iam:GetUser", "iam:CreateUser", "iam:TagUser", "iam:ListUserTags",
            "iam:GetUserPolicy", "iam:PutUserPolicy",
            "iam:ListServiceSpecificCredentials", "iam:CreateServiceSpecificCredential",
            "iam:UpdateServiceSpecificCredential", "iam:DeleteServiceSpecificCredential",
            "iam:SimulatePrincipalPolicy", "iam:SimulateCustomPolicy",
            "budgets:ViewBudget", "budgets:ModifyBudget",
            "secretsmanager:DescribeSecret", "secretsmanager:CreateSecret", "secretsmanager:PutSecretValue",
            "secretsmanager:UpdateSecretVersionStage", "secretsmanager:RestoreSecret",
            "secretsmanager:TagResource",
            "bedrock:ListFoundationModels",
            // drift reconciliation: the users under the portal's path
            "iam:ListUsers",
            // decommissioning an application
            "iam:DeleteUserPolicy", "iam:DeleteUser", "secretsmanager:DeleteSecret",
            // a key's evidence (compromise response): the IAM user's CloudTrail events, the application's spend
            "cloudtrail:LookupEvents", "ce:GetCostAndUsage",
            // the account posture page: trails, model invocation logging, cost-allocation tags
            "cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors",
            "bedrock:GetModelInvocationLoggingConfiguration", "ce:ListCostAllocationTags");

    private PortalPermissions() {
    }
}
