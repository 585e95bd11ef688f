package com.bedrockportal.lifecycle;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.key.ApiKey;
import com.bedrockportal.key.ApiKeys;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.PageCallGate;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;

import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

/**
 * While AWS does not answer the disables of two keys, pages that call AWS inside their transaction are bounded
 * ({@code portal.aws.page-calls}, here 2): a third person's disable is not sent to AWS but told at once what AWS's own
 * throttling tells ("nothing changed in the portal. Try again"), its key unchanged, instead of holding one more of the
 * node's database connections until AWS answers. A disable from a background thread (a job, not a page) and a page's
 * call outside a transaction pass. Then AWS answers: both waiting disables finish, and the refused one succeeds when
 * tried again. Until 6 December nothing bounded the pages: the third disable waited for AWS as the first two did.
 */
@TestPropertySource(properties = "portal.aws.page-calls=2")
class PageCallGateIT extends PostgresSupport {

    /** Credentials whose status change AWS does not answer until the test lets it. */
    private static final Set<String> HANGING = ConcurrentHashMap.newKeySet();
    private static volatile CountDownLatch answer = new CountDownLatch(1);
    private static final AtomicInteger WAITING = new AtomicInteger();

    @TestConfiguration
    static class SlowDisables {
        @Bean
        @Primary
        ServiceCredentials credentialsWithoutAnswer(SimulatedAccount account) {
            ServiceCredentials credentials = mock(ServiceCredentials.class, delegatesTo(account));
            doAnswer(call -> {
                if (HANGING.contains(call.<String>getArgument(1))) {
                    WAITING.incrementAndGet();
                    try {
                        answer.await(2, TimeUnit.MINUTES);
                    } finally {
                        WAITING.decrementAndGet();
                    }
                }
                account.updateServiceCredentialStatus(call.getArgument(0), call.getArgument(1), call.getArgument(2));
                return null;
            }).when(credentials).updateServiceCredentialStatus(any(), any(), anyBoolean());
            return credentials;
        }
    }

    @Autowired
    KeyActions actions;
    @Autowired
    ApiKeys keys;
    @Autowired
    IamUsers users;
    @Autowired
    ServiceCredentials credentials;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PageCallGate gate;
    @Autowired
    MeterRegistry meters;
    @Autowired
    org.springframework.transaction.support.TransactionTemplate transactions;

    private final ExecutorService people = Executors.newFixedThreadPool(4);

    @AfterEach
    void answerAndStop() {
        answer.countDown();
        HANGING.clear();
        people.shutdownNow();
    }

    @Test
    void aThirdPageIsToldAtOnceWhileTwoWaitOnAwsAndJobsAndReadsPass() throws Exception {
        answer = new CountDownLatch(1);
        LiveKeys live = new LiveKeys(jdbc, keys, users, credentials);
        // Two units: AWS allows two keys per IAM user.
        BusinessUnit unit = Fixtures.unit(units, "gate");
        BusinessUnit other = Fixtures.unit(units, "gate");
        List<ApiKey> waiting = List.of(live.issue(unit, "alice", true), live.issue(unit, "alice", true));
        ApiKey third = live.issue(other, "alice", true);
        ApiKey byJob = live.issue(other, "alice", true);
        waiting.forEach(k -> HANGING.add(k.credentialId()));
        double refusedBefore = refused();

        List<Future<ApiKey>> disables = waiting.stream()
                .map(k -> people.submit(() -> onPage(() -> disable(k)))).toList();
        Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> WAITING.get() == 2);
        assertThat(gate.active()).isEqualTo(2);

        Future<?> refusedDisable = people.submit(() -> onPage(() -> disable(third)));
        assertThatThrownBy(() -> refusedDisable.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(KeyActions.CloudFailed.class)
                .cause().hasMessageContaining("nothing changed in the portal. Try again");
        assertThat(live.status(third)).isEqualTo("ACTIVE");
        assertThat(live.audited("KEY_DISABLED", third)).isZero();
        assertThat(refused()).isEqualTo(refusedBefore + 1);

        // A page reading outside a transaction holds no connection and passes; so does a job's disable.
        assertThat(people.submit(() -> onPage(() -> credentials.listServiceCredentials(third.iamUser(),
                ServiceCredentials.BEDROCK_SERVICE))).get(10, TimeUnit.SECONDS)).isNotEmpty();
        assertThat(people.submit(() -> actions.disableBySystem(byJob.id(), "system", "a job's disable"))
                .get(10, TimeUnit.SECONDS)).isPresent();
        assertThat(live.status(byJob)).isEqualTo("INACTIVE");

        answer.countDown();
        for (Future<ApiKey> d : disables) {
            assertThat(d.get(20, TimeUnit.SECONDS).status().name()).isEqualTo("INACTIVE");
        }
        assertThat(gate.active()).isZero();
        assertThat(people.submit(() -> onPage(() -> disable(third))).get(10, TimeUnit.SECONDS).status().name())
                .isEqualTo("INACTIVE");
    }

    /**
     * A page's transaction takes one turn at its first AWS call and keeps it until it ends, however many calls it makes
     * (a revoke's disable and delete: the second cannot be refused after the first was made); a transaction of its own
     * inside it holds a second connection and takes a second turn.
     */
    @Test
    void aTransactionKeepsOneTurnForAllItsCallsUntilItEnds() {
        LiveKeys live = new LiveKeys(jdbc, keys, users, credentials);
        ApiKey key = live.issue(Fixtures.unit(units, "turn"), "alice", true);
        org.springframework.transaction.support.TransactionTemplate inner = new org.springframework.transaction.support
                .TransactionTemplate(transactions.getTransactionManager());
        inner.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        List<Integer> seen = onPage(() -> transactions.execute(status -> {
            java.util.ArrayList<Integer> active = new java.util.ArrayList<>();
            credentials.listServiceCredentials(key.iamUser(), ServiceCredentials.BEDROCK_SERVICE);
            active.add(gate.active());
            credentials.listServiceCredentials(key.iamUser(), ServiceCredentials.BEDROCK_SERVICE);
            active.add(gate.active());
            active.add(inner.execute(s -> {
                credentials.listServiceCredentials(key.iamUser(), ServiceCredentials.BEDROCK_SERVICE);
                return gate.active();
            }));
            active.add(gate.active());
            // The outer transaction has its turn back after the inner one ended: this call takes no other.
            credentials.listServiceCredentials(key.iamUser(), ServiceCredentials.BEDROCK_SERVICE);
            active.add(gate.active());
            return active;
        }));
        assertThat(seen).containsExactly(1, 1, 2, 1, 1);
        assertThat(gate.active()).isZero();
    }

    private ApiKey disable(ApiKey key) {
        return RunAs.user("sara", () -> actions.disable(key.id(), "suspicious use"), "SECURITY");
    }

    /** As on a page: the request's attributes bound to the thread, as Spring's RequestContextFilter binds them. */
    private static <T> T onPage(Supplier<T> work) {
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(new MockHttpServletRequest()));
        try {
            return work.get();
        } finally {
            RequestContextHolder.resetRequestAttributes();
        }
    }

    private double refused() {
        return meters.get("portal.aws.page.calls.refused").counter().count();
    }
}
