package com.bedrockportal.provisioning;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.LongConsumer;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells open request pages that a request's provisioning moved on, once the step's transaction has committed, so
 * they can push the new state to the browser.
 */
@Component
public class ProvisioningEvents {

    private final Set<LongConsumer> listeners = new CopyOnWriteArraySet<>();

    public Runnable subscribe(LongConsumer listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void changed(long requestId) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    fire(requestId);
                }
            });
        } else {
            fire(requestId);
        }
    }

    private void fire(long requestId) {
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
