package com.bedrockportal.shared;

import java.time.Clock;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Cross-cutting beans: the clock, and the start-up order of Flyway and Camunda. */
@Configuration(proxyBeanMethods = false)
class SharedConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Camunda creates its tables when its engine starts; Flyway refuses a non-empty schema without a history table.
     * Migrate first.
     */
    @Bean
    static BeanFactoryPostProcessor flywayBeforeCamunda() {
        return beanFactory -> {
            if (beanFactory instanceof BeanDefinitionRegistry registry
                    && registry.containsBeanDefinition("processEngineFactoryBean")
                    && registry.containsBeanDefinition("flywayInitializer")) {
                registry.getBeanDefinition("processEngineFactoryBean").setDependsOn("flywayInitializer");
            }
        };
    }
}
