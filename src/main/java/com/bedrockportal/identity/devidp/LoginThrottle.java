package com.bedrockportal.identity.devidp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Progressive delay of the embedded provider's password checks, per username and per client address. The first
 * {@code freeFailures} failures of a key cost nothing; after that each attempt of that key waits
 * {@code firstDelay}, doubling with every further failure up to {@code maxDelay}. Waiting attempts queue one
 * behind the other (each reserves its slot), so parallel guesses do not share one wait; an attempt that would wait
 * longer than {@code maxDelay} is refused at once, without checking the password. A key is forgotten after
 * {@code forgetAfter} without failures; a successful login forgets the username's failures (not the address's).
 */
public final class LoginThrottle {

    /**
     * @param freeFailures            failures of one username that cost nothing
     * @param freeFailuresPerAddress  the same per client address (higher: people behind one address share it)
     * @param firstDelay              the wait after the free failures; doubles per further failure
     * @param maxDelay                the longest wait; an attempt that would wait longer is refused
     * @param forgetAfter             a key without failures for this long starts again from zero
     */
    public record Policy(int freeFailures, int freeFailuresPerAddress, Duration firstDelay, Duration maxDelay,
            Duration forgetAfter) {

        /** The wait after {@code failures} failures of a key whose first {@code free} cost nothing. */
        Duration delayAfter(int failures, int free) {
            if (failures < free) {
                return Duration.ZERO;
            }
            int doublings = Math.min(failures - free, 30);
            Duration delay = firstDelay.multipliedBy(1L << doublings);
            return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
        }
    }

    /** Waits; tests pass one that only records. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        Sleeper REAL = d -> Thread.sleep(d.toMillis());
    }

    /** What to do with an attempt: wait this long and then check the password, or refuse it. */
    public record Admission(boolean refused, Duration waited) {
    }

    private static final class Key {
        int failures;
        Instant lastFailure = Instant.EPOCH;
        Instant nextSlot = Instant.EPOCH;
    }

    private final Policy policy;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, Key> keys = new HashMap<>();
    private Instant lastSweep = Instant.EPOCH;

    public LoginThrottle(Policy policy, Clock clock, Sleeper sleeper) {
        this.policy = policy;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Called before the password is checked: waits as long as the failures so far demand, or refuses. */
    public Admission admit(String username, String address) throws InterruptedException {
        Duration wait;
        synchronized (this) {
            Instant now = clock.instant();
            sweep(now);
            List<Key> delayed = new ArrayList<>();
            List<Duration> delays = new ArrayList<>();
            Instant start = now;
            for (String k : keys(username, address)) {
                Key key = current(k, now);
                Duration delay = key == null ? Duration.ZERO : policy.delayAfter(key.failures, free(k));
                if (!delay.isZero()) {
                    delayed.add(key);
                    delays.add(delay);
                    if (key.nextSlot.isAfter(start)) {
                        start = key.nextSlot;
                    }
                }
            }
            wait = Duration.between(now, start);
            if (wait.compareTo(policy.maxDelay()) > 0) {
                return new Admission(true, Duration.ZERO);
            }
            // Reserve: the next attempt of each delayed key comes one delay after this one.
            for (int i = 0; i < delayed.size(); i++) {
                Instant next = start.plus(delays.get(i));
                if (next.isAfter(delayed.get(i).nextSlot)) {
                    delayed.get(i).nextSlot = next;
                }
            }
        }
        if (!wait.isZero()) {
            sleeper.sleep(wait);
        }
        return new Admission(false, wait);
    }

    /** The password was wrong (or the user unknown). */
    public synchronized void failed(String username, String address) {
        Instant now = clock.instant();
        for (String k : keys(username, address)) {
            Key key = current(k, now);
            if (key == null) {
                key = new Key();
                keys.put(k, key);
            }
            key.failures++;
            key.lastFailure = now;
            Instant next = now.plus(policy.delayAfter(key.failures, free(k)));
            if (next.isAfter(key.nextSlot)) {
                key.nextSlot = next;
            }
        }
    }

    /** The login succeeded: the username starts again from zero (the address keeps its count until forgotten). */
    public synchronized void succeeded(String username) {
        keys.remove(userKey(username));
    }

    /** How many keys are tracked (for tests). */
    synchronized int tracked() {
        return keys.size();
    }

    private Key current(String k, Instant now) {
        Key key = keys.get(k);
        if (key != null && key.lastFailure.plus(policy.forgetAfter()).isBefore(now)) {
            keys.remove(k);
            return null;
        }
        return key;
    }

    private void sweep(Instant now) {
        if (lastSweep.plus(policy.forgetAfter()).isAfter(now)) {
            return;
        }
        lastSweep = now;
        keys.values().removeIf(key -> key.lastFailure.plus(policy.forgetAfter()).isBefore(now));
    }

    private int free(String key) {
        return key.startsWith("user:") ? policy.freeFailures() : policy.freeFailuresPerAddress();
    }

    private static List<String> keys(String username, String address) {
        List<String> keys = new ArrayList<>(2);
        keys.add(userKey(username));
        if (address != null && !address.isBlank()) {
            keys.add("address:" + address);
        }
        return keys;
    }

    private static String userKey(String username) {
        // Case-folded: "Alice" and "alice" are one account to an attacker as well.
        return "user:" + (username == null ? "" : username.trim().toLowerCase(java.util.Locale.ROOT));
    }
}
