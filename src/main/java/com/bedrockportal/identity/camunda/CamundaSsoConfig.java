package com.bedrockportal.identity.camunda;

import jakarta.servlet.DispatcherType;

import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.camunda.bpm.webapp.impl.security.auth.ContainerBasedAuthenticationFilter;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Camunda's webapp ({@code /camunda}) and REST API ({@code /engine-rest}) behind the portal's SSO. Spring Security
 * lets only ADMIN through (see SecurityConfig); these filters, which run after it, log that user in to Camunda.
 */
@Configuration(proxyBeanMethods = false)
class CamundaSsoConfig {

    @Bean
    FilterRegistrationBean<ContainerBasedAuthenticationFilter> camundaWebappSsoFilter(CamundaBpmProperties props) {
        String path = props.getWebapp().getApplicationPath();
        FilterRegistrationBean<ContainerBasedAuthenticationFilter> registration = new FilterRegistrationBean<>(
                new SsoContainerAuthenticationFilter());
        registration.setName("Container Based Authentication Filter");
        registration.addInitParameter(ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
                SpringSecurityAuthenticationProvider.class.getName());
        registration.addUrlPatterns(path + "/app/*", path + "/api/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 1);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> camundaRestSsoFilter() {
        FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration = new FilterRegistrationBean<>(
                new ProcessEngineAuthenticationFilter());
        registration.setName("camunda-rest-sso");
        registration.addInitParameter(ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
                SpringSecurityAuthenticationProvider.class.getName());
        registration.addInitParameter(ProcessEngineAuthenticationFilter.SERVLET_PATH_PREFIX, "/engine-rest");
        registration.addUrlPatterns("/engine-rest/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 1);
        return registration;
    }

    @Bean
    ProcessEnginePlugin ssoAdminPlugin() {
        return new SsoAdminPlugin();
    }

    @Bean
    EngineLockdownPlugin engineLockdownPlugin(ApplicationEventPublisher events) {
        return new EngineLockdownPlugin(events);
    }
}
