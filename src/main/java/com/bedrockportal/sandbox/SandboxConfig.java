package com.bedrockportal.sandbox;

import java.time.Clock;

import com.bedrockportal.catalog.FoundationModelSource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The simulated account: the embedded default ({@code portal.aws.mode=sandbox}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "portal.aws.mode", havingValue = "sandbox", matchIfMissing = true)
class SandboxConfig {

    @Bean
    SimulatedAccount simulatedAccount(JdbcClient jdbc, SandboxAccountProperties account, SandboxProperties faults,
            Clock clock) {
        return new SimulatedAccount(jdbc, account, faults, clock);
    }

    @Bean
    FoundationModelSource sandboxFoundationModels() {
        return new SandboxFoundationModels();
    }

}
