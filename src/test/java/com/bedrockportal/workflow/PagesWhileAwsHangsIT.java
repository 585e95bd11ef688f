package com.bedrockportal.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.request.AccessRequest;
import com.bedrockportal.request.RequestService;
import com.bedrockportal.request.RequestStatus;
import com.bedrockportal.sandbox.SimulatedAccount;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PortalNodes;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;
import com.zaxxer.hikari.HikariDataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

/**
 * While AWS does not answer, the portal's pages still get a database connection. Every provisioning step holds one
 * of the node's pooled connections for as long as its AWS call waits (the job's transaction is open around the
 * call). Here IAM does not answer CreateUser until every thread of the job executor waits on it; a new request must
 * still be submitted and approved, and a requester's list of her requests read, on a node with the shipped pool and
 * job executor (application.yml). Until 6 December the job executor could run up to 10 steps at once on Hikari's 10
 * connections: with every thread waiting on AWS the pool was empty, and pages, approvals and the job executor's own
 * acquisition waited for a connection until AWS answered or Hikari gave up (with those settings this test's
 * approvals fail with "Connection is not available, request timed out"). Here Hikari gives up after 5 s, not 30.
 */
class PagesWhileAwsHangsIT {

    /** Prefixed like the fork's own database, so that two checkouts side by side never drop each other's. */
    private static final String DB = PostgresSupport.DB + "_aws_hangs";
    /** Made anew by each run of the test (a static latch once counted down would not hold a second run). */
    private static volatile CountDownLatch answer = new CountDownLatch(1);
    private static final AtomicInteger WAITING = new AtomicInteger();

    /**
     * IAM that does not answer CreateUser until the test lets it, then creates the user in the simulated account.
     * Given to this node only: not a {@code @Configuration}, so that no other node's component scan finds it.
     */
    static class IamWithoutAnswer {
        @Bean
        @Primary
        IamUsers iamUsersWithoutAnswer(SimulatedAccount account) {
            IamUsers users = mock(IamUsers.class, delegatesTo(account));
            doAnswer(call -> {
                WAITING.incrementAndGet();
                try {
                    answer.await(2, TimeUnit.MINUTES);
                } finally {
                    WAITING.decrementAndGet();
                }
                return account.createUser(call.getArgument(0), call.getArgument(1), call.getArgument(2));
            }).when(users).createUser(any(), any(), any());
            return users;
        }
    }

    @Test
    void aRequesterSeesHerRequestsWhileEveryJobThreadWaitsForAws() {
        answer = new CountDownLatch(1);
        String url = PortalNodes.freshDatabase(DB);
        try (ConfigurableApplicationContext node = PortalNodes.start("aws-hangs", url, 0,
                Map.of("spring.datasource.hikari.connection-timeout", "5000"), IamWithoutAnswer.class)) {
            int jobThreads = node.getBean("camundaTaskExecutor", ThreadPoolTaskExecutor.class).getMaxPoolSize();
            HikariDataSource pool = node.getBean(HikariDataSource.class);
            RequestService requests = node.getBean(RequestService.class);
            ApprovalService approvals = node.getBean(ApprovalService.class);
            try {
                BusinessUnit unit = PortalNodes.on(node,
                        () -> Fixtures.unit(node.getBean(BusinessUnitService.class), "hang"));
                // More approved requests than the job executor has threads: every thread takes a first step.
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < jobThreads + 4; i++) {
                    ids.add(Fixtures.submitAndApprove(requests, approvals, unit.id()).id());
                }
                Awaitility.await("every job thread waits for CreateUser").atMost(Duration.ofSeconds(60))
                        .until(() -> WAITING.get() >= jobThreads);

                // A page and an approval while every job thread waits; the new request's steps queue behind them.
                ids.add(Fixtures.submitAndApprove(requests, approvals, unit.id()).id());
                List<AccessRequest> mine = RunAs.user("alice", () -> requests.mine(null, 0, 100), "REQUESTER");
                assertThat(mine).extracting(AccessRequest::id).containsAll(ids);
                assertThat(mine).filteredOn(r -> ids.contains(r.id())).extracting(AccessRequest::status)
                        .as("approved, their first step waiting on AWS").containsOnly(RequestStatus.APPROVED);
                System.out.printf("AWS-HANGS: %d job threads waiting on AWS, pool of %d connections: %d in use, "
                        + "%d idle%n", WAITING.get(), pool.getMaximumPoolSize(),
                        pool.getHikariPoolMXBean().getActiveConnections(),
                        pool.getHikariPoolMXBean().getIdleConnections());
                // What the start-up check counts is this node's pool and job executor, and with the shipped settings
                // the connections it leaves for pages were free while every step waited.
                JobConnections check = node.getBean(JobConnections.class);
                assertThat(check.poolSize()).isEqualTo(pool.getMaximumPoolSize());
                assertThat(check.jobThreads()).isEqualTo(jobThreads);
                assertThat(check.pageCalls()).isEqualTo(com.bedrockportal.provisioning.PageCallGate.DEFAULT_SIZE);
                assertThat(JobConnections.leavesPagesWaiting(check.poolSize(), check.jobThreads(), check.pageCalls()))
                        .isFalse();
                assertThat(pool.getMaximumPoolSize() - pool.getHikariPoolMXBean().getActiveConnections())
                        .as("connections free while every job thread waits on AWS")
                        .isGreaterThanOrEqualTo(JobConnections.leftForPages(check.poolSize(), check.jobThreads(),
                                check.pageCalls()));

                answer.countDown();
                Awaitility.await("every request provisioned once AWS answers").atMost(Duration.ofSeconds(120))
                        .until(() -> RunAs.user("alice", () -> requests.mine(null, 0, 100), "REQUESTER").stream()
                                .filter(r -> ids.contains(r.id()))
                                .allMatch(r -> r.status() == RequestStatus.PROVISIONED));
            } finally {
                answer.countDown();
            }
        }
    }
}
