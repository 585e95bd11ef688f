package com.bedrockportal.shared;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.YamlProcessor;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded default (H2) waits for a row lock as PostgreSQL does, instead of failing after H2's own two seconds:
 * every audited action waits for the audit chain's head row, and a busy job executor can hold it that long, which
 * made a click fail with "Timeout trying to lock table".
 */
class EmbeddedDatabaseLockWaitTest {

    @Test
    void theDefaultDatabaseWaitsForARowLockLongerThanH2Would(@TempDir Path folder) throws Exception {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        // The default document only, not a profile's (postgres).
        yaml.setDocumentMatchers(p -> p.containsKey("spring.config.activate.on-profile")
                ? YamlProcessor.MatchStatus.NOT_FOUND : YamlProcessor.MatchStatus.FOUND);
        String configured = yaml.getObject().getProperty("spring.datasource.url");
        String url = configured.replaceFirst("^\\$\\{PORTAL_DB_URL:(.*)}$", "$1")
                .replace("./data/portal", folder.resolve("portal").toString());
        assertThat(url).startsWith("jdbc:h2:file:");

        try (Connection holder = DriverManager.getConnection(url, "sa", "");
                Connection waiter = DriverManager.getConnection(url, "sa", "")) {
            holder.createStatement().execute("create table head(id int primary key)");
            holder.createStatement().execute("insert into head values (1)");
            holder.setAutoCommit(false);
            waiter.setAutoCommit(false);
            holder.createStatement().executeQuery("select id from head where id = 1 for update").close();
            CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
                try (ResultSet rs = waiter.createStatement()
                        .executeQuery("select id from head where id = 1 for update")) {
                    rs.next();
                    return rs.getInt(1);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            // Past H2's default (about two seconds), the other transaction still waits rather than failing.
            Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5))
                    .until(() -> !waiting.isDone());
            holder.commit();
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }
}
