package com.bedrockportal.identity.devidp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.bedrockportal.testsupport.MutableClock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {

    private static final LoginThrottle.Policy POLICY = new LoginThrottle.Policy(3, 10, Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofMinutes(15));

    private final MutableClock clock = new MutableClock();
    private final List<Duration> sleeps = new ArrayList<>();

    /** Sleeps by moving the clock, as a real sleep would. */
    private LoginThrottle sleepingThrottle() {
        return new LoginThrottle(POLICY, clock, d -> {
            sleeps.add(d);
            clock.advance(d);
        });
    }

    private void failedAttempt(LoginThrottle throttle, String user, String address) throws InterruptedException {
        assertThat(throttle.admit(user, address).refused()).isFalse();
        throttle.failed(user, address);
    }

    @Test
    void theFirstThreeFailuresCostNothingThenTheWaitDoublesUpToTheCap() throws Exception {
        LoginThrottle throttle = sleepingThrottle();
        for (int i = 0; i < 8; i++) {
            failedAttempt(throttle, "alice", "203.0.113.7");
        }
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void usernamesAreCountedWithoutRegardToCase() throws Exception {
        LoginThrottle throttle = sleepingThrottle();
        failedAttempt(throttle, "alice", "203.0.113.7");
        failedAttempt(throttle, "Alice", "203.0.113.7");
        failedAttempt(throttle, "ALICE ", "203.0.113.7");
        throttle.admit("aLiCe", "203.0.113.7");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void anotherUserFromAnotherAddressIsNotDelayed() throws Exception {
        LoginThrottle throttle = sleepingThrottle();
        for (int i = 0; i < 6; i++) {
            failedAttempt(throttle, "alice", "203.0.113.7");
        }
        sleeps.clear();
        assertThat(throttle.admit("bob", "198.51.100.1")).isEqualTo(new LoginThrottle.Admission(false, Duration.ZERO));
        assertThat(sleeps).isEmpty();
    }

    @Test
    void oneAddressTryingManyUsernamesIsDelayedAfterItsOwnAllowance() throws Exception {
        LoginThrottle throttle = sleepingThrottle();
        for (int i = 0; i < 10; i++) {
            failedAttempt(throttle, "user" + i, "203.0.113.7");
        }
        assertThat(sleeps).isEmpty();
        failedAttempt(throttle, "user10", "203.0.113.7");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void aSuccessfulLoginForgetsTheUsersFailuresButNotTheAddresss() throws Exception {
        LoginThrottle throttle = sleepingThrottle();
        for (int i = 0; i < 10; i++) {
            failedAttempt(throttle, "alice", "203.0.113.7");
        }
        throttle.succeeded("alice");
        sleeps.clear();
        // alice from elsewhere: free again.
        throttle.admit("alice", "198.51.100.1");
        assertThat(sleeps).isEmpty();
        // Anyone from the address that failed ten times still waits.
        throttle.admit("bob", "203.0.113.7");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void failuresAreForgottenAfterAQuietPeriod() throws Exception {
        LoginThrottle throttle = sleepingThrottle();
        for (int i = 0; i < 6; i++) {
            failedAttempt(throttle, "alice", "203.0.113.7");
        }
        clock.advance(Duration.ofMinutes(16));
        sleeps.clear();
        throttle.admit("alice", "203.0.113.7");
        assertThat(sleeps).isEmpty();
        assertThat(throttle.tracked()).isZero();
    }

    @Test
    void parallelAttemptsQueueBehindEachOtherAndThoseBeyondTheCapAreRefusedWithoutWaiting() throws Exception {
        // The sleeper does not move the clock: all attempts arrive at the same moment, as parallel requests do.
        List<Duration> waits = new ArrayList<>();
        LoginThrottle throttle = new LoginThrottle(POLICY, clock, waits::add);
        for (int i = 0; i < 3; i++) {
            throttle.admit("alice", "203.0.113.7");
            throttle.failed("alice", "203.0.113.7");
        }
        List<LoginThrottle.Admission> admissions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            admissions.add(throttle.admit("alice", "203.0.113.7"));
        }
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3),
                Duration.ofSeconds(4), Duration.ofSeconds(5));
        assertThat(admissions).extracting(LoginThrottle.Admission::refused)
                .containsExactly(false, false, false, false, false, true, true, true);
    }
}
