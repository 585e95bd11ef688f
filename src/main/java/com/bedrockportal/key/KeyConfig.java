package com.bedrockportal.key;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class KeyConfig {

    /** Fails start-up with a clear message when a configured master key is malformed. */
    @Bean
    SecretSealer secretSealer(SealingProperties properties) {
        return SecretSealer.from(properties);
    }
}
