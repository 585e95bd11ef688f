package com.bedrockportal.request;

import java.util.UUID;

/**
 * Which of {@code submission_lock}'s rows a submission takes, for tests of two submissions that must wait for each
 * other by one claim only: their submission keys' rows meet each other, or the claim's, by chance otherwise, and such
 * a test could then pass without the claim it is about.
 */
public final class ClaimRows {

    private ClaimRows() {
    }

    /** Draws new submission keys until two changes of one application share only the application's row. */
    public static void onlyTheApplicationInCommon(long applicationId, RequestDraft first, RequestDraft second) {
        second.setSubmissionKey(keyApart(RequestService.applicationClaim(applicationId), first));
    }

    /**
     * A renewal's submission key that shares no row with a change of the same application but the application's
     * (the change's key is drawn again while its row is the application's).
     */
    public static String renewalKeyApart(long applicationId, RequestDraft change) {
        return keyApart(RequestService.applicationClaim(applicationId), change);
    }

    /**
     * Draws {@code first}'s key again until its row is not {@code claim}'s, then a second key whose row is neither:
     * the two submissions then share {@code claim}'s row only.
     */
    static String keyApart(String claim, RequestDraft first) {
        int shared = RequestRepository.stripeOf(claim);
        while (keyRow(first.getSubmissionKey()) == shared) {
            first.setSubmissionKey(UUID.randomUUID().toString());
        }
        String key = UUID.randomUUID().toString();
        while (keyRow(key) == shared || keyRow(key) == keyRow(first.getSubmissionKey())) {
            key = UUID.randomUUID().toString();
        }
        return key;
    }

    private static int keyRow(String submissionKey) {
        return RequestRepository.stripeOf(RequestService.submissionClaim(submissionKey));
    }
}
