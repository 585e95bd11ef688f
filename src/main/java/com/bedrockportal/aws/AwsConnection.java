package com.bedrockportal.aws;

import java.util.List;

import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.provisioning.AccountIdentity;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.PermissionCheck;
import com.bedrockportal.provisioning.PortalPermissions;

import jakarta.annotation.security.RolesAllowed;

import org.springframework.stereotype.Service;

/** What the admin's "AWS connection" page shows: mode, region, who the portal is in AWS, and what it may do. */
@Service
public class AwsConnection {

    /** The result of a check; {@code error} is set when the account could not be reached. */
    public record Status(String mode, String region, String endpoint, AccountIdentity.CallerIdentity identity,
            List<String> required, List<String> denied, String error) {
    }

    private final AccountIdentity identity;
    private final PermissionCheck permissions;
    private final AwsProperties properties;

    AwsConnection(AccountIdentity identity, PermissionCheck permissions, AwsProperties properties) {
        this.identity = identity;
        this.permissions = permissions;
        this.properties = properties;
    }

    @RolesAllowed(PortalRole.ADMIN_ROLE)
    public Status check() {
        String endpoint = properties.endpoint() == null ? "" : properties.endpoint().toString();
        try {
            AccountIdentity.CallerIdentity caller = identity.callerIdentity();
            List<String> denied = permissions.deniedActions(PortalPermissions.REQUIRED);
            return new Status(properties.mode(), properties.region(), endpoint, caller, PortalPermissions.REQUIRED,
                    denied, null);
        } catch (CloudException e) {
            return new Status(properties.mode(), properties.region(), endpoint, null, PortalPermissions.REQUIRED,
                    List.of(), e.getMessage());
        }
    }
}
