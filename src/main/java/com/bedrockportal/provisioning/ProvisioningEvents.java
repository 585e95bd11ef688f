package com.bedrockportal.provisioning;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.LongConsumer;

import com.bedrockportal.shared.AfterCommit;
import com.bedrockportal.shared.ClusterSignals;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Tells open request pages that a request's provisioning moved on, once the step's transaction has committed (never
 * after a rollback: a failed step changes nothing the page could show), so they can push the new state to the
 * browser. A step publishes {@link Progressed} (for other modules) and registers an after-commit callback that passes
 * it on to the subscribed pages. Not a transactional event listener: Spring Modulith would record each step's event
 * in its publication table and open a second connection after the commit to complete it (under load, ten job
 * threads each waiting for a second connection emptied the pool). The other nodes on the same PostgreSQL database hear it too: the step's transaction also sends a cluster signal
 * (it leaves with the commit), and the signal heard here reaches this node's pages (issue 16).
 */
@Component
public class ProvisioningEvents {

    /** A provisioning step of a request committed. */
    public record Progressed(long requestId) {
    }

    private final Set<LongConsumer> listeners = new CopyOnWriteArraySet<>();
    static final String TOPIC = "provisioning";
    private final ApplicationEventPublisher publisher;
    private final ClusterSignals signals;

    ProvisioningEvents(ApplicationEventPublisher publisher, ClusterSignals signals) {
        this.publisher = publisher;
        this.signals = signals;
        signals.subscribe(TOPIC, id -> tell(Long.parseLong(id)));
    }

    public Runnable subscribe(LongConsumer listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Tells the pages after the current transaction commits (at once when there is none), and the other nodes. */
    void changed(long requestId) {
        publisher.publishEvent(new Progressed(requestId));
        signals.send(TOPIC, Long.toString(requestId));
        AfterCommit.run(() -> tell(requestId));
    }

    private void tell(long requestId) {
        for (LongConsumer listener : listeners) {
            try {
                listener.accept(requestId);
            } catch (RuntimeException gone) {
                // A page that was closed meanwhile; it must not keep the others from hearing about it.
                listeners.remove(listener);
            }
        }
    }
}
