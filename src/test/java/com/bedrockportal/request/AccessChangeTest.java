package com.bedrockportal.request;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which changes widen access (and go to security) and which only narrow it (manager only). */
class AccessChangeTest {

    private static final AccessRequest.Baseline BASE = new AccessRequest.Baseline(
            List.of("amazon.nova-lite-v1:0", "amazon.nova-micro-v1:0"), List.of("us-east-1", "eu-west-1"),
            List.of("203.0.113.0/24"), 30, new BigDecimal("200.00"), false, DataClassification.INTERNAL);

    private static AccessChange change(List<String> models, List<String> regions, List<String> cidrs, int lifetime,
            String budget, boolean secret, DataClassification classification, boolean newKey) {
        return AccessChange.between(BASE, models, regions, cidrs, lifetime, new BigDecimal(budget), secret,
                classification, newKey);
    }

    @Test
    void removingAModelARegionAndLoweringBudgetAndLifetimeWidensNothing() {
        AccessChange c = change(List.of("amazon.nova-lite-v1:0"), List.of("us-east-1"), List.of("203.0.113.0/25"), 7,
                "50", false, DataClassification.PUBLIC, false);
        assertThat(c.widens()).isFalse();
        assertThat(c.changesAnything()).isTrue();
        assertThat(c.modelsRemoved()).containsExactly("amazon.nova-micro-v1:0");
        assertThat(c.modelsAdded()).isEmpty();
        assertThat(c.regionsRemoved()).containsExactly("eu-west-1");
        assertThat(c.cidrsAdded()).containsExactly("203.0.113.0/25");
        assertThat(c.cidrsRemoved()).containsExactly("203.0.113.0/24");
        assertThat(c.lifetimeBefore()).isEqualTo(30);
        assertThat(c.lifetimeAfter()).isEqualTo(7);
    }

    @Test
    void eachWayOfWideningIsNamed() {
        assertThat(change(List.of("amazon.nova-lite-v1:0", "amazon.nova-micro-v1:0", "anthropic.claude"),
                BASE.regions(), BASE.sourceCidrs(), 30, "200", false, DataClassification.INTERNAL, false).widenings())
                .containsExactly(AccessChange.Widening.MODELS_ADDED);
        assertThat(change(BASE.models(), List.of("us-east-1", "eu-west-1", "us-west-2"), BASE.sourceCidrs(), 30,
                "200", false, DataClassification.INTERNAL, false).widenings())
                .containsExactly(AccessChange.Widening.REGIONS_ADDED);
        assertThat(change(BASE.models(), BASE.regions(), List.of("203.0.113.0/24", "198.51.100.0/24"), 30, "200",
                false, DataClassification.INTERNAL, false).widenings())
                .containsExactly(AccessChange.Widening.SOURCE_IPS_WIDENED);
        assertThat(change(BASE.models(), BASE.regions(), List.of("203.0.112.0/23"), 30, "200", false,
                DataClassification.INTERNAL, false).widenings())
                .as("a larger range containing the old one").containsExactly(AccessChange.Widening.SOURCE_IPS_WIDENED);
        assertThat(change(BASE.models(), BASE.regions(), List.of(), 30, "200", false, DataClassification.INTERNAL,
                false).widenings()).as("no ranges means any address")
                .containsExactly(AccessChange.Widening.SOURCE_IPS_WIDENED);
        assertThat(change(BASE.models(), BASE.regions(), BASE.sourceCidrs(), 31, "200.01", true,
                DataClassification.CONFIDENTIAL, true).widenings()).containsExactlyInAnyOrder(
                AccessChange.Widening.LIFETIME_LONGER, AccessChange.Widening.BUDGET_HIGHER,
                AccessChange.Widening.SECRET_COPY_ADDED, AccessChange.Widening.CLASSIFICATION_HIGHER,
                AccessChange.Widening.NEW_KEY);
    }

    @Test
    void restrictingAnUnrestrictedApplicationToRangesNarrows() {
        AccessRequest.Baseline open = new AccessRequest.Baseline(BASE.models(), BASE.regions(), List.of(), 30,
                new BigDecimal("200"), false, DataClassification.INTERNAL);
        AccessChange c = AccessChange.between(open, BASE.models(), BASE.regions(), List.of("10.0.0.0/8"), 30,
                new BigDecimal("200"), false, DataClassification.INTERNAL, false);
        assertThat(c.widens()).isFalse();
        assertThat(c.cidrsAdded()).containsExactly("10.0.0.0/8");
    }

    @Test
    void theSameAccessWithoutANewKeyChangesNothing() {
        AccessChange same = change(BASE.models(), BASE.regions(), BASE.sourceCidrs(), 30, "200", false,
                DataClassification.INTERNAL, false);
        assertThat(same.changesAnything()).isFalse();
        assertThat(same.widens()).isFalse();
        assertThat(change(BASE.models(), BASE.regions(), BASE.sourceCidrs(), 30, "200", false,
                DataClassification.INTERNAL, true).changesAnything()).isTrue();
    }

    @Test
    void aRenewalANewKeyWithTheSameAccessWidensNothingAnyOtherNewKeyDoes() {
        AccessChange renewal = AccessChange.between(BASE, BASE.models(), BASE.regions(), BASE.sourceCidrs(), 30,
                new BigDecimal("200"), false, DataClassification.INTERNAL, true, true);
        assertThat(renewal.renewal()).isTrue();
        assertThat(renewal.widens()).isFalse();
        assertThat(renewal.changesAnything()).isTrue();
        assertThat(renewal.newKey()).isTrue();
        // The same new key asked as a change, not as a renewal: another credential, security reviews it.
        assertThat(change(BASE.models(), BASE.regions(), BASE.sourceCidrs(), 30, "200", false,
                DataClassification.INTERNAL, true).widenings()).containsExactly(AccessChange.Widening.NEW_KEY);
    }

    @Test
    void aRenewalThatChangesAnythingElseIsNoRenewalAndItsNewKeyWidens() {
        AccessChange narrower = AccessChange.between(BASE, List.of("amazon.nova-lite-v1:0"), BASE.regions(),
                BASE.sourceCidrs(), 30, new BigDecimal("200"), false, DataClassification.INTERNAL, true, true);
        assertThat(narrower.renewal()).isFalse();
        assertThat(narrower.widenings()).containsExactly(AccessChange.Widening.NEW_KEY);
        AccessChange longer = AccessChange.between(BASE, BASE.models(), BASE.regions(), BASE.sourceCidrs(), 60,
                new BigDecimal("200"), false, DataClassification.INTERNAL, true, true);
        assertThat(longer.renewal()).isFalse();
        assertThat(longer.widenings()).containsExactlyInAnyOrder(AccessChange.Widening.LIFETIME_LONGER,
                AccessChange.Widening.NEW_KEY);
        AccessChange noKey = AccessChange.between(BASE, BASE.models(), BASE.regions(), BASE.sourceCidrs(), 30,
                new BigDecimal("200"), false, DataClassification.INTERNAL, false, true);
        assertThat(noKey.renewal()).isFalse();
        assertThat(noKey.changesAnything()).isFalse();
    }
}
