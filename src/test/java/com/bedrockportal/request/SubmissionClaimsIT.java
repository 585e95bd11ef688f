package com.bedrockportal.request;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.bedrockportal.businessunit.BusinessUnit;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.testsupport.Fixtures;
import com.bedrockportal.testsupport.PostgresSupport;
import com.bedrockportal.testsupport.RunAs;
import com.bedrockportal.testsupport.WhileHeld;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A submission holds only what it claims until it commits (V52): two new applications of one IAM user name, submitted
 * at the same moment, store one, also when the name comes from two units; submissions that claim nothing in common do
 * not wait for each other (until 7 December every submission in the cluster waited for the one before it).
 */
class SubmissionClaimsIT extends PostgresSupport {

    @Autowired
    RequestService requests;
    @Autowired
    BusinessUnitService units;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactionManager;

    BusinessUnit unit;

    @BeforeEach
    void aUnit() {
        unit = Fixtures.unit(units, "claim");
    }

    @Test
    void twoNewApplicationsOfOneNameSubmittedAtOnceStoreOne() throws Exception {
        RequestDraft first = Fixtures.request(unit.id());
        RequestDraft second = Fixtures.request(unit.id());
        second.setApplicationSlug(" " + first.getApplicationSlug()); // the checks strip it, and so does its claim
        onlyTheClaimInCommon(first, second, unit, unit);
        Object later = WhileHeld.secondWaits(transactionManager, jdbc, () -> submit(first), () -> submit(second),
                "%submission_lock%for update%");
        assertThat(later).isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors().get("applicationSlug"))
                .contains("already has an application " + first.getApplicationSlug()));
        assertThat(jdbc.queryForObject("select count(*) from access_request where business_unit_id = ? and "
                + "application_slug = ?", Integer.class, unit.id(), first.getApplicationSlug())).isEqualTo(1);
    }

    /** Unit "u" with application "web-x-api" and unit "u-web-x" with "api" would both be IAM user u-web-x-api-bedrock. */
    @Test
    void twoUnitsWhoseNamesJoinToOneIamUserStoreOneOfThem() throws Exception {
        BusinessUnit longer = Fixtures.unit(units, unit.slug() + "-web");
        RequestDraft first = Fixtures.request(unit.id());
        first.setApplicationSlug(longer.slug().substring(unit.slug().length() + 1) + "-api");
        RequestDraft second = Fixtures.request(longer.id());
        second.setApplicationSlug("api");
        onlyTheClaimInCommon(first, second, unit, longer);
        String iamUser = longer.slug() + "-api-bedrock";
        Object later = WhileHeld.secondWaits(transactionManager, jdbc, () -> submit(first), () -> submit(second),
                "%submission_lock%for update%");
        assertThat(later).isInstanceOfSatisfying(FieldErrors.class, e -> assertThat(e.errors().get("applicationSlug"))
                .contains(iamUser));
        assertThat(jdbc.queryForObject("select count(*) from access_request where business_unit_id in (?, ?)",
                Integer.class, unit.id(), longer.id())).isEqualTo(1);
    }

    /**
     * While the first submission's transaction is still open, a second one of another application is checked, stored
     * and its approval started: it did not wait for the first. Drafts are drawn until their claims fall on different
     * rows (two claims on one row by chance wait, as they should).
     */
    @Test
    void submissionsThatClaimNothingInCommonDoNotWaitForEachOther() throws Exception {
        RequestDraft first = Fixtures.request(unit.id());
        RequestDraft second = Fixtures.request(unit.id());
        while (!java.util.Collections.disjoint(stripes(first), stripes(second))) {
            second = Fixtures.request(unit.id());
        }
        RequestDraft other = second;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AccessRequest stored = new TransactionTemplate(transactionManager).execute(status -> {
                AccessRequest mine = submit(first);
                Future<AccessRequest> theirs = pool.submit(() -> submit(other));
                try {
                    AccessRequest done = theirs.get(30, TimeUnit.SECONDS); // waiting for the first: no answer
                    assertThat(jdbc.queryForObject("select count(*) from access_request where id = ?", Integer.class,
                            mine.id())).as("the first is stored in this open transaction").isEqualTo(1);
                    return done;
                } catch (Exception e) {
                    throw new AssertionError("the second submission waited for the first", e);
                }
            });
            assertThat(stored.status()).isEqualTo(RequestStatus.PENDING_MANAGER);
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryForObject("select count(*) from access_request where submission_key in (?, ?)",
                Integer.class, first.getSubmissionKey(), second.getSubmissionKey())).isEqualTo(2);
    }

    /**
     * Draws new submission keys until the two drafts share only their application's claim's row, so that the second
     * waits for that claim and nothing else.
     */
    private static void onlyTheClaimInCommon(RequestDraft first, RequestDraft second, BusinessUnit firstUnit,
            BusinessUnit secondUnit) {
        String claim = RequestService.newApplicationClaim(firstUnit.slug(), first.getApplicationSlug());
        assertThat(RequestRepository.stripeOf(RequestService.newApplicationClaim(secondUnit.slug(),
                second.getApplicationSlug()))).as("one IAM user name, one claim").isEqualTo(RequestRepository
                        .stripeOf(claim));
        second.setSubmissionKey(ClaimRows.keyApart(claim, first));
    }

    private Set<Integer> stripes(RequestDraft d) {
        return List.of(RequestService.submissionClaim(d.getSubmissionKey()),
                RequestService.newApplicationClaim(unit.slug(), d.getApplicationSlug())).stream()
                .map(RequestRepository::stripeOf).collect(Collectors.toSet());
    }

    private AccessRequest submit(RequestDraft d) {
        return RunAs.user("alice", () -> requests.submit(d), "REQUESTER");
    }
}
