package com.bedrockportal.provisioning;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static com.bedrockportal.provisioning.Contracts.TAGS;
import static com.bedrockportal.provisioning.Contracts.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What both adapters of {@link Secrets} must do alike. */
public interface SecretsContract {

    Secrets secrets();

    /** Whether whoever reads the secret by default (its AWSCURRENT version) gets {@code value}. */
    boolean readsAs(String name, String value);

    @Test
    default void secretsAreCreatedOnceAndFoundByName() {
        String name = unique("bu") + "/bedrock/api-key";
        String arn = secrets().createSecret(name, "ABSKnot-a-real-key".toCharArray(), TAGS, "test");
        assertThat(arn).contains(":secretsmanager:").contains(name);
        assertThat(secrets().findSecret(name)).contains(arn);
        assertThatThrownBy(() -> secrets().createSecret(name, "x".toCharArray(), Map.of(), "again"))
                .isInstanceOfSatisfying(CloudException.class,
                        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.ALREADY_EXISTS));
        assertThat(secrets().findSecret(unique("missing"))).isEmpty();
    }

    @Test
    default void aRotatedValueWaitsAsPendingUntilItIsPromotedOnce() {
        String name = unique("bu") + "/bedrock/api-key";
        secrets().createSecret(name, "ABSKold-key-not-real".toCharArray(), TAGS, "test");
        String version = UUID.randomUUID().toString();
        secrets().stagePendingValue(name, version, "ABSKnew-key-not-real".toCharArray());
        secrets().stagePendingValue(name, version, "ABSKnew-key-not-real".toCharArray()); // a replayed step
        assertThat(readsAs(name, "ABSKold-key-not-real")).as("readers keep the old key while it is pending").isTrue();

        assertThat(secrets().promote(name, version)).isTrue();
        assertThat(readsAs(name, "ABSKnew-key-not-real")).isTrue();
        assertThat(secrets().promote(name, version)).as("already current").isFalse();
        assertThat(readsAs(name, "ABSKnew-key-not-real")).isTrue();

        assertThatThrownBy(() -> secrets().promote(name, UUID.randomUUID().toString())).isInstanceOfSatisfying(
                CloudException.class, e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> secrets().stagePendingValue(unique("missing"), UUID.randomUUID().toString(),
                "x".toCharArray())).isInstanceOfSatisfying(CloudException.class,
                        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.NOT_FOUND));
    }

    // --- Decommissioning

    @Test
    default void aSecretIsScheduledForDeletionOnceWithinTheRecoveryWindowLimits() {
        String name = unique("bu") + "/bedrock/api-key";
        secrets().createSecret(name, "ABSKnot-a-real-key".toCharArray(), TAGS, "test");
        for (Duration outside : List.of(Duration.ofDays(6), Duration.ofDays(31), Duration.ofHours(200))) {
            assertThatThrownBy(() -> secrets().deleteSecret(name, outside)).isInstanceOfSatisfying(
                    CloudException.class, e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.INVALID_INPUT));
        }
        assertThat(secrets().deleteSecret(name, Duration.ofDays(7))).isTrue();
        assertThat(secrets().deleteSecret(name, Duration.ofDays(30))).as("already scheduled").isFalse();
        assertThat(secrets().deleteSecret(unique("missing"), Duration.ofDays(30))).isFalse();
    }

    @Test
    default void aSecretScheduledForDeletionIsRestoredOnceAndTakesAValueAgain() {
        String name = unique("bu") + "/bedrock/api-key";
        secrets().createSecret(name, "ABSKfirst-not-real".toCharArray(), TAGS, "test");
        assertThat(secrets().restoreSecret(name)).as("not scheduled").isFalse();
        secrets().deleteSecret(name, Duration.ofDays(7));
        // (AWS then refuses PutSecretValue, InvalidRequestException; moto does not, the simulated account does.)
        assertThat(secrets().restoreSecret(name)).isTrue();
        assertThat(secrets().restoreSecret(name)).isFalse();
        secrets().putSecretValue(name, "ABSKsecond-not-real".toCharArray());
        assertThat(readsAs(name, "ABSKsecond-not-real")).isTrue();
        assertThatThrownBy(() -> secrets().restoreSecret(unique("missing"))).isInstanceOfSatisfying(
                CloudException.class, e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.NOT_FOUND));
    }
}
