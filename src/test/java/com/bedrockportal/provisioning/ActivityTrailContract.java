package com.bedrockportal.provisioning;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.bedrockportal.provisioning.ActivityTrail.TrailEvent;

import org.junit.jupiter.api.Test;

import static com.bedrockportal.provisioning.Contracts.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What both adapters of {@link ActivityTrail} must do alike. The events lie in a window that ends before the
 * adapter's "now" ({@link #window()}), so that nothing else the account does at the time of the test is in it.
 */
public interface ActivityTrailContract {

    ActivityTrail activityTrail();

    /** A look-up window of a few days that the adapter's account keeps (CloudTrail: the last 90 days). */
    Instant windowStart();

    default Instant window() {
        return windowStart().plus(Duration.ofDays(6));
    }

    /**
     * Arranges that the user has exactly these events in the window (and no others there), and returns them as the
     * account will show them: the adapter may give them its own event ids and the id of the user's key.
     */
    List<TrailEvent> arrangeEvents(String userName, List<TrailEvent> events);

    /** Makes look-ups fail like AWS does with this kind (throttling for TRANSIENT, access denied) until {@link #recover()}. */
    void failLookups(CloudException.Kind kind);

    void recover();

    /** {@code count} Bedrock calls, one per hour from the window's start, every seventh refused. */
    default List<TrailEvent> calls(int count) {
        List<TrailEvent> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new TrailEvent("e" + i, windowStart().plus(Duration.ofHours(i)).plusSeconds(17),
                    i % 5 == 0 ? "InvokeModelWithResponseStream" : "InvokeModel", "bedrock.amazonaws.com",
                    "203.0.113." + (i % 200 + 1), i % 2 == 0 ? "aws-sdk-java/2.31.12" : "python-requests/2.32.3",
                    i % 3 == 0 ? "eu-west-1" : "us-east-1", i % 7 == 6 ? "AccessDenied" : null, null));
        }
        return out;
    }

    private static List<TrailEvent> newestFirst(List<TrailEvent> events) {
        return events.stream().sorted(Comparator.comparing(TrailEvent::time).reversed()).toList();
    }

    @Test
    default void aUsersEventsComeNewestFirstWithTheirAddressClientRegionErrorAndKey() {
        String user = unique("trail");
        List<TrailEvent> arranged = arrangeEvents(user, calls(8));
        List<TrailEvent> found = activityTrail().eventsOfUser(user, windowStart(), window(), 100);
        assertThat(found).containsExactlyElementsOf(newestFirst(arranged));
        assertThat(found).extracting(TrailEvent::eventId).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(found).extracting(TrailEvent::credentialId).doesNotContainNull();
        assertThat(found).filteredOn(e -> e.errorCode() != null).extracting(TrailEvent::errorCode)
                .containsExactly("AccessDenied");
        assertThat(found.get(0)).satisfies(e -> {
            assertThat(e.time()).isEqualTo(windowStart().plus(Duration.ofHours(7)).plusSeconds(17));
            assertThat(e.eventName()).isEqualTo("InvokeModel");
            assertThat(e.eventSource()).isEqualTo("bedrock.amazonaws.com");
            assertThat(e.sourceIp()).isEqualTo("203.0.113.8");
            assertThat(e.userAgent()).isEqualTo("python-requests/2.32.3");
            assertThat(e.region()).isEqualTo("us-east-1");
        });
    }

    /** More events than one page (CloudTrail: 50): the newest {@code max} are returned, across pages. */
    @Test
    default void aLookUpReturnsAtMostMaxEventsTheNewest() {
        String user = unique("paged");
        List<TrailEvent> arranged = newestFirst(arrangeEvents(user, calls(120)));
        assertThat(activityTrail().eventsOfUser(user, windowStart(), window(), 75))
                .containsExactlyElementsOf(arranged.subList(0, 75));
        assertThat(activityTrail().eventsOfUser(user, windowStart(), window(), ActivityTrail.MAX_EVENTS))
                .containsExactlyElementsOf(arranged);
    }

    @Test
    default void aUserWithoutEventsHasAnEmptyTrail() {
        assertThat(activityTrail().eventsOfUser(unique("quiet"), windowStart(), window(), 50)).isEmpty();
    }

    @Test
    default void aThrottledLookUpIsTransientAndAccessDeniedNeedsAPerson() {
        String user = unique("failing");
        try {
            failLookups(CloudException.Kind.TRANSIENT);
            assertThatThrownBy(() -> activityTrail().eventsOfUser(user, windowStart(), window(), 50))
                    .isInstanceOfSatisfying(CloudException.class, e -> {
                        assertThat(e.kind()).isEqualTo(CloudException.Kind.TRANSIENT);
                        assertThat(e.operation()).isEqualTo("LookupEvents");
                    });
            failLookups(CloudException.Kind.ACCESS_DENIED);
            assertThatThrownBy(() -> activityTrail().eventsOfUser(user, windowStart(), window(), 50))
                    .isInstanceOfSatisfying(CloudException.class, e -> {
                        assertThat(e.kind()).isEqualTo(CloudException.Kind.ACCESS_DENIED);
                        assertThat(e.business()).isTrue();
                    });
        } finally {
            recover();
        }
    }
}
