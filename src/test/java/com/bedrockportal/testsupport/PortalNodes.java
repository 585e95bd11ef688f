package com.bedrockportal.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.bedrockportal.PortalApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * Whole portal nodes (web server, process engine, job executor) started in the test JVM on a PostgreSQL database of
 * their own, for the two-node test and the benchmarks: as {@code java -jar} would run them with the postgres profile.
 */
public final class PortalNodes {

    private PortalNodes() {
    }

    /** Drops and creates the database {@code name} on the test PostgreSQL; returns its JDBC URL. */
    public static String freshDatabase(String name) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PostgresSupport.HOST + "/postgres",
                "postgres", "")) {
            c.createStatement().execute("drop database if exists \"" + name + "\" with (force)");
            c.createStatement().execute("create database \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL must run on " + PostgresSupport.HOST, e);
        }
        return "jdbc:postgresql://" + PostgresSupport.HOST + "/" + name;
    }

    /**
     * Starts a node: {@code hostname} names it in Camunda's job log, {@code port} 0 is any free port; {@code extra}
     * settings and configuration classes come on top of the defaults.
     */
    public static ConfigurableApplicationContext start(String hostname, String url, int port,
            Map<String, String> extra, Class<?>... configuration) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", Integer.toString(port));
        settings.put("spring.datasource.url", url);
        settings.put("spring.datasource.username", "postgres");
        // Connections opened as needed, not the whole pool at start: the test PostgreSQL's 100 are shared with the
        // fork's cached test contexts and the other fork.
        settings.put("spring.datasource.hikari.minimum-idle", "1");
        settings.put("portal.identity.embedded-idp.port", "0");
        settings.put("portal.mail.poll-interval", "PT10M");
        settings.put("portal.usage.enabled", "false");
        settings.put("vaadin.launch-browser", "false");
        settings.put("vaadin.devmode.devTools.enabled", "false");
        settings.put("camunda.bpm.generic-properties.properties.hostname", hostname);
        settings.putAll(extra);
        List<Class<?>> sources = new ArrayList<>(List.of(PortalApplication.class));
        sources.addAll(List.of(configuration));
        // As command-line arguments: they outrank the postgres profile's own datasource URL.
        return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).profiles("postgres")
                .run(settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
    }

    /**
     * Calls into one node: its services read the security context through its own strategy. (Global: with several
     * nodes, call them from one thread at a time.)
     */
    public static <T> T on(ConfigurableApplicationContext node, Supplier<T> work) {
        SecurityContextHolder.setContextHolderStrategy(node.getBean(SecurityContextHolderStrategy.class));
        return work.get();
    }
}
