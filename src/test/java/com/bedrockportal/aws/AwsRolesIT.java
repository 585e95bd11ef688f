package com.bedrockportal.aws;

import java.net.URI;
import java.time.Duration;

import com.bedrockportal.provisioning.ApplicationRoles;
import com.bedrockportal.provisioning.ApplicationRolesContract;
import com.bedrockportal.provisioning.RoleSessions;
import com.bedrockportal.testsupport.Moto;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * 12-hour keys over the wire: the AWS SDK adapter's IAM roles (CreateRole, TagRole, PutRolePolicy, DeleteRole...) and
 * STS AssumeRole against moto, under the same contract as the simulated account.
 */
class AwsRolesIT implements ApplicationRolesContract {

    static AwsRoles roles;
    static AwsCloudAccount account;

    @BeforeAll
    static void start() {
        String moto = Moto.endpoint();
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLETESTONLY");
        System.setProperty("aws.secretAccessKey", "test-secret-not-real");
        AwsClients clients = new AwsClients(new AwsProperties("aws", "us-east-1", URI.create(moto),
                Duration.ofSeconds(20), "off"));
        roles = new AwsRoles(clients);
        account = new AwsCloudAccount(clients);
    }

    @AfterAll
    static void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Override
    public ApplicationRoles roles() {
        return roles;
    }

    @Override
    public RoleSessions sessions() {
        return roles;
    }

    @Override
    public String portalPrincipal() {
        return AwsCloudAccount.principalArn(account.callerIdentity().arn());
    }
}
