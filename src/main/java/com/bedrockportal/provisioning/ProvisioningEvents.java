package com.bedrockportal.provisioning;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.LongConsumer;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Tells open request pages that a request's provisioning moved on, once the step's transaction has committed (never
 * after a rollback: a failed step changes nothing the page could show), so they can push the new state to the
 * browser. A step publishes {@link Progressed}; the after-commit listener here passes it on to the subscribed pages.
 */
@Component
public class ProvisioningEvents {

    /** A provisioning step of a request committed. */
    public record Progressed(long requestId) {
    }

    private final Set<LongConsumer> listeners = new CopyOnWriteArraySet<>();
    private final ApplicationEventPublisher publisher;

    ProvisioningEvents(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    public Runnable subscribe(LongConsumer listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void changed(long requestId) {
        publisher.publishEvent(new Progressed(requestId));
    }

    /** After the publishing transaction committed; at once when there was none. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(Progressed event) {
        for (LongConsumer listener : listeners) {
            try {
                listener.accept(event.requestId());
            } catch (RuntimeException gone) {
                // A page that was closed meanwhile; it must not keep the others from hearing about it.
                listeners.remove(listener);
            }
        }
    }
}
