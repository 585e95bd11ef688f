package com.bedrockportal.aws;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The long-lived SDK clients close with the application (their connection pools are shut down). */
class AwsClientsTest {

    @org.junit.jupiter.api.BeforeAll
    static void credentials() {
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLETESTONLY");
        System.setProperty("aws.secretAccessKey", "test-secret-not-real");
    }

    @org.junit.jupiter.api.AfterAll
    static void noCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void closingTheFactoryClosesTheClientsItBuilt() {
        AwsClients clients = new AwsClients(new AwsProperties("aws", "us-east-1", URI.create("http://127.0.0.1:9"),
                Duration.ofSeconds(2), "off"));
        IamClient iam = clients.iam();
        clients.close();
        assertThatThrownBy(() -> iam.getUser(r -> r.userName("x"))).hasMessageContaining("Terminated"); // its executors are shut down (an open client would report "Connection refused")
    }
}
