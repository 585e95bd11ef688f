package com.bedrockportal.shared;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

import com.bedrockportal.testsupport.PostgresSupport;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two "nodes" (two signal hubs on their own connections) on the test PostgreSQL database: what one sends the other
 * hears, with the sender's commit and never after its rollback; a node does not hear itself; on H2 nothing is sent.
 */
class ClusterSignalsIT {

    private final List<ClusterSignals> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(ClusterSignals::stop);
    }

    @Test
    void whatOneNodeCommitsTheOtherHearsAndARollbackSendsNothing() {
        DataSource db = new DriverManagerDataSource(PostgresSupport.URL, "postgres", "");
        ClusterSignals a = node(db);
        ClusterSignals b = node(db);
        List<String> heardByA = new CopyOnWriteArrayList<>();
        List<String> heardByB = new CopyOnWriteArrayList<>();
        a.subscribe("provisioning", heardByA::add);
        b.subscribe("provisioning", heardByB::add);
        b.subscribe("other-topic", p -> heardByB.add("other:" + p));
        a.subscribe("other-topic", p -> heardByA.add("other:" + p));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> a.listening() && b.listening());

        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db));
        JdbcTemplate inTx = new JdbcTemplate(db);
        ClusterSignals aInTx = new ClusterSignals(db, new StaticListableBeanFactory()
                .getBeanProvider(DataSourceProperties.class), inTx, true);
        aInTx.start();
        started.add(aInTx);
        tx.executeWithoutResult(status -> {
            aInTx.send("provisioning", "41");
            status.setRollbackOnly();
        });
        tx.executeWithoutResult(status -> aInTx.send("provisioning", "42"));
        a.send("other-topic", "7");

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(heardByB)
                .containsExactlyInAnyOrder("42", "other:7"));
        assertThat(heardByB).as("the rolled-back signal").doesNotContain("41");
        // a's own "7" reached a's connection before b's "8" (notifications arrive in commit order), so once a has
        // heard "8" it would have heard its own "7" too, were it not left out.
        b.send("other-topic", "8");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> heardByA.contains("other:8"));
        assertThat(heardByA).as("a node hears the others, not itself; aInTx is another node to a")
                .containsExactly("42", "other:8");
        assertThat(b.heard()).isEqualTo(2);
        assertThat(a.heard()).isEqualTo(2);
    }

    @Test
    void refusesAnUnsafeTopicOrPayloadAndIsSilentOnH2() {
        DataSource pg = new DriverManagerDataSource(PostgresSupport.URL, "postgres", "");
        ClusterSignals a = node(pg);
        assertThatThrownBy(() -> a.send("Robert'); drop table", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.send("provisioning", "x".repeat(201))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.send("provisioning", "1\n2")).isInstanceOf(IllegalArgumentException.class);

        DataSource h2 = new DriverManagerDataSource("jdbc:h2:mem:signals;DB_CLOSE_DELAY=-1", "sa", "");
        ClusterSignals single = node(h2);
        single.send("provisioning", "1"); // no pg_notify on H2: nothing to send to
        assertThat(single.listening()).isFalse();
    }

    private ClusterSignals node(DataSource db) {
        ClusterSignals node = new ClusterSignals(db, new StaticListableBeanFactory()
                .getBeanProvider(DataSourceProperties.class), new JdbcTemplate(db), true);
        node.start();
        started.add(node);
        return node;
    }
}
