package com.bedrockportal.catalog;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Catalog settings ({@code portal.catalog.*}).
 *
 * @param refreshRegions the regions "refresh from AWS" reads
 */
@ConfigurationProperties("portal.catalog")
public record CatalogProperties(
        @DefaultValue({ "us-east-1", "us-west-2", "eu-central-1" }) List<String> refreshRegions) {
}
