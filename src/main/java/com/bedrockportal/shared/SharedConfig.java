package com.bedrockportal.shared;

import java.nio.file.Path;
import java.time.Clock;

import jakarta.validation.Validator;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

/**
 * Cross-cutting beans: the clock, the texts and field rules of forms (one translation bundle), and the start-up order
 * of Flyway and Camunda. {@code @EnableAsync} lets {@code @ApplicationModuleListener}s run on Boot's task executor,
 * after the publishing transaction committed ({@code spring.task.execution.mode: force}: without it Boot creates no
 * executor beside Camunda's, and Spring ran each event on a new thread; {@code AsyncListenersIT}).
 */
@Configuration(proxyBeanMethods = false)
@EnableAsync
class SharedConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The translation bundle Vaadin reads, as the application's message source: one place for every text. */
    @Bean
    MessageSource messageSource() {
        return FormValidation.bundle();
    }

    /** Bean Validation (in place of Spring Boot's default) with its {@code {key}} messages from the same bundle. */
    @Bean
    LocalValidatorFactoryBean validator(MessageSource messageSource) {
        return FormValidation.validator(messageSource);
    }

    @Bean
    FormValidation formValidation(Validator validator, MessageSource messageSource) {
        return new FormValidation(validator, messageSource);
    }

    /**
     * The embedded database's folder is owner-only before the database opens (bean factory post-processors run
     * before any bean), and its files again once the application runs (H2 creates them with the process umask).
     */
    @Bean
    static BeanFactoryPostProcessor ownerOnlyDataFolder(Environment environment) {
        return beanFactory -> secureDataFolder(environment);
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> ownerOnlyDataFiles(Environment environment) {
        return event -> secureDataFolder(environment);
    }

    private static void secureDataFolder(Environment environment) {
        Path folder = DataFolder.ofH2Url(environment.getProperty("spring.datasource.url"));
        if (folder != null) {
            DataFolder.secure(folder);
        }
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
