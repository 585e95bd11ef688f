package com.bedrockportal.aws;

import com.bedrockportal.catalog.FoundationModelSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses the simulated account or the real SDK adapter per {@code portal.aws.mode}. */
@Configuration(proxyBeanMethods = false)
class AwsConfig {

    @Bean
    AwsClients awsClients(AwsProperties properties) {
        return new AwsClients(properties);
    }

    @Bean
    FoundationModelSource foundationModelSource(AwsProperties properties, AwsClients clients) {
        return properties.sandbox() ? new SandboxFoundationModels() : new BedrockFoundationModels(clients);
    }
}
