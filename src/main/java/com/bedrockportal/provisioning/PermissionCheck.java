package com.bedrockportal.provisioning;

import java.util.List;

/**
 * Port: whether the portal's own identity may do the actions it needs ({@link PortalPermissions}); the AWS connection
 * page asks. Implemented by the AWS SDK adapter and the simulated account, held to {@code PermissionCheckContract}.
 */
public interface PermissionCheck {

    /** Of these actions, the ones the caller's identity is not allowed (IAM policy simulation); empty when all are. */
    List<String> deniedActions(List<String> actions);
}
