package com.bedrockportal.shared;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Small signals between portal nodes that share one PostgreSQL database, through its {@code LISTEN}/{@code NOTIFY}
 * (issue 16): a node sends a topic and a short payload (an id, never a secret); every other node's subscribers of the
 * topic hear it. A signal sent inside a transaction leaves with its commit and never after a rollback (PostgreSQL
 * holds a transaction's notifications until it commits). One connection per node listens, in a thread of its own and
 * outside the connection pool (opened with {@code spring.datasource.*}, so the pool keeps its full size); a lost connection is opened again with a doubling back-off (1 s to 30 s), and what was sent meanwhile is lost,
 * so a subscriber must also have a slower way to catch up (the request page keeps its 2-second poll). On H2 (the
 * embedded default, one node) nothing is sent or heard, and {@code portal.cluster.signals=false} turns it off.
 */
@Component
public final class ClusterSignals implements SmartLifecycle {

    static final String CHANNEL = "portal_signal";
    private static final Pattern TOPIC = Pattern.compile("[a-z][a-z-]{0,29}");
    private static final int MAX_PAYLOAD = 200;
    private static final Logger log = LoggerFactory.getLogger(ClusterSignals.class);

    private final DataSource dataSource;
    private final DataSourceProperties connection;
    private final JdbcTemplate jdbc;
    private final boolean enabled;
    /** Tells this node's own signals from the others' (a node hears its own NOTIFY too). */
    private final String node = UUID.randomUUID().toString();
    private final Map<String, Set<Consumer<String>>> subscribers = new ConcurrentHashMap<>();
    private final AtomicLong heard = new AtomicLong();
    private volatile boolean postgres;
    private volatile boolean running;
    private volatile boolean listening;
    private Thread listener;

    ClusterSignals(DataSource dataSource, ObjectProvider<DataSourceProperties> connection, JdbcTemplate jdbc,
            @Value("${portal.cluster.signals:true}") boolean enabled) {
        this.dataSource = dataSource;
        this.connection = connection.getIfAvailable();
        this.jdbc = jdbc;
        this.enabled = enabled;
    }

    /** Hears what the other nodes send on this topic; the returned action stops hearing it. */
    public Runnable subscribe(String topic, Consumer<String> subscriber) {
        Set<Consumer<String>> set = subscribers.computeIfAbsent(checked(topic), t -> new CopyOnWriteArraySet<>());
        set.add(subscriber);
        return () -> set.remove(subscriber);
    }

    /**
     * Sends a signal to the other nodes: with the current transaction's commit when there is one, at once otherwise.
     * Does nothing unless the database is PostgreSQL.
     */
    public void send(String topic, String payload) {
        if (!postgres) {
            return;
        }
        if (payload.length() > MAX_PAYLOAD || payload.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("A cluster signal's payload is one short line");
        }
        jdbc.query("select pg_notify(?, ?)", rs -> null, CHANNEL, node + "\n" + checked(topic) + "\n" + payload);
    }

    /** True while this node listens (PostgreSQL, enabled, connection open). */
    public boolean listening() {
        return listening;
    }

    /** Signals of other nodes heard since start. */
    public long heard() {
        return heard.get();
    }

    @Override
    public void start() {
        postgres = enabled && isPostgres();
        running = true;
        if (!postgres) {
            return;
        }
        listener = new Thread(this::listen, "cluster-signals");
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread t = listener;
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private boolean isPostgres() {
        try (Connection c = dataSource.getConnection()) {
            return "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            log.warn("Cluster signals off: cannot tell the database ({})", e.getSQLState());
            return false;
        }
    }

    private void listen() {
        long backoff = 1000;
        while (running) {
            try (Connection c = open()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                listening = true;
                backoff = 1000;
                while (running) {
                    PGNotification[] got = pg.getNotifications(500);
                    if (got != null) {
                        for (PGNotification n : got) {
                            dispatch(n.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                listening = false;
                if (running) {
                    log.warn("Cluster signals: listening connection lost ({}), again in {} ms", e.getSQLState(),
                            backoff);
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, 30_000);
                }
            } finally {
                listening = false;
            }
        }
    }

    private Connection open() throws SQLException {
        if (connection == null) {
            return dataSource.getConnection();
        }
        return DriverManager.getConnection(connection.determineUrl(), connection.determineUsername(),
                connection.determinePassword());
    }

    private void dispatch(String message) {
        String[] parts = message.split("\n", 3);
        if (parts.length != 3 || node.equals(parts[0])) {
            return;
        }
        heard.incrementAndGet();
        for (Consumer<String> subscriber : subscribers.getOrDefault(parts[1], Set.of())) {
            try {
                subscriber.accept(parts[2]);
            } catch (RuntimeException e) {
                log.warn("Cluster signal subscriber of {} failed: {}", parts[1], e.getClass().getSimpleName());
            }
        }
    }

    private static String checked(String topic) {
        if (!TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("Not a topic name: " + topic);
        }
        return topic;
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
