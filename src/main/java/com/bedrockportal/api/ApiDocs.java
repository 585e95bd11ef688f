package com.bedrockportal.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's header and its bearer-token scheme (served at /api-docs, Swagger UI at /api-docs/ui). */
@Configuration(proxyBeanMethods = false)
class ApiDocs {

    static final String BEARER = "bearer";

    @Bean
    OpenAPI portalApi() {
        return new OpenAPI()
                .info(new Info().title("Bedrock Access Portal API").version("v1").description("""
                        Request Amazon Bedrock access, follow requests, list applications and keys (first 12 \
                        characters only: a key is revealed once, in the browser, after a fresh login), act on keys, \
                        read alerts and the audit log. The same services, roles and rules as the portal's pages. \
                        Authenticate with a bearer JWT of the portal's OIDC issuer: a person's access token, or a \
                        machine client's client-credentials token (the embedded default has the demo client ci-bot). \
                        Refusals are RFC 9457 problem details."""))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")));
    }
}
