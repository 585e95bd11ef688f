package com.bedrockportal.provisioning;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What both adapters of {@link CloudAccount} must do alike: the simulated account and the AWS SDK adapter (against
 * moto and WireMock) extend this class.
 */
public abstract class CloudAccountContract {

    protected abstract CloudAccount account();

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static final Map<String, String> TAGS = Map.of("business-unit", "marketing", "purpose", "bedrock",
            "created-by", "bedrock-access-portal");

    @Test
    void createsAUserWithItsTagsInOneCall() {
        String name = unique("bu") + "-bedrock-user";
        CloudAccount.IamUser user = account().createUser(name, "/bedrock-portal/", TAGS);
        assertThat(user.userName()).isEqualTo(name);
        assertThat(user.arn()).endsWith(":user/bedrock-portal/" + name);
        assertThat(account().findUser(name)).get().satisfies(u -> assertThat(u.tags()).containsAllEntriesOf(TAGS));
        assertThat(account().findUser(unique("nobody"))).isEmpty();
    }

    @Test
    void aSecondUserWithTheSameNameIsAlreadyExists() {
        String name = unique("dup");
        account().createUser(name, "/", Map.of());
        assertThatThrownBy(() -> account().createUser(name, "/", Map.of()))
                .isInstanceOfSatisfying(CloudException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CloudException.Kind.ALREADY_EXISTS);
                    assertThat(e.business()).isTrue();
                });
    }

    @Test
    void putUserPolicyCreatesThenReplaces() throws Exception {
        String name = unique("pol");
        account().createUser(name, "/", Map.of());
        assertThat(account().findUserPolicy(name, "bedrock-access")).isEmpty();
        String first = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"bedrock:InvokeModel\",\"Resource\":\"*\"}]}";
        String second = first.replace("bedrock:InvokeModel", "bedrock:CallWithBearerToken");
        account().putUserPolicy(name, "bedrock-access", first);
        account().putUserPolicy(name, "bedrock-access", second);
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(account().findUserPolicy(name, "bedrock-access").orElseThrow()))
                .isEqualTo(json.readTree(second));
    }

    @Test
    void aPolicyForAMissingUserIsNotFound() {
        assertThatThrownBy(() -> account().putUserPolicy(unique("ghost"), "p", "{\"Version\":\"2012-10-17\",\"Statement\":[]}"))
                .isInstanceOfSatisfying(CloudException.class,
                        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.NOT_FOUND));
    }

    @Test
    void atMostTwoBedrockKeysPerUserWithTheirExpiry() {
        String name = unique("keys");
        account().createUser(name, "/", Map.of());
        CloudAccount.NewServiceCredential first = account().createServiceCredential(name,
                CloudAccount.BEDROCK_SERVICE, 30);
        account().createServiceCredential(name, CloudAccount.BEDROCK_SERVICE, 7);
        assertThat(new String(first.secret())).startsWith("ABSK").hasSizeGreaterThan(40);
        assertThat(first.credential().status()).isEqualTo("Active");
        assertThat(Duration.between(first.credential().createdAt(), first.credential().expiresAt()))
                .isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> account().createServiceCredential(name, CloudAccount.BEDROCK_SERVICE, 30))
                .isInstanceOfSatisfying(CloudException.class,
                        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.LIMIT_EXCEEDED));
        assertThat(account().listServiceCredentials(name, CloudAccount.BEDROCK_SERVICE)).hasSize(2)
                .allSatisfy(c -> assertThat(c.expiresAt()).isAfter(c.createdAt()));
    }

    @Test
    void aKeyCanBeDisabledAndDeleted() {
        String name = unique("toggle");
        account().createUser(name, "/", Map.of());
        String id = account().createServiceCredential(name, CloudAccount.BEDROCK_SERVICE, 1).credential()
                .credentialId();
        account().updateServiceCredentialStatus(name, id, false);
        assertThat(account().listServiceCredentials(name, CloudAccount.BEDROCK_SERVICE)).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo("Inactive"));
        account().deleteServiceCredential(name, id);
        assertThat(account().listServiceCredentials(name, CloudAccount.BEDROCK_SERVICE)).isEmpty();
    }

    @Test
    void aKeyLifetimeOutsideOneTo36600DaysIsRefused() {
        String name = unique("age");
        account().createUser(name, "/", Map.of());
        assertThatThrownBy(() -> account().createServiceCredential(name, CloudAccount.BEDROCK_SERVICE, 0))
                .isInstanceOfSatisfying(CloudException.class,
                        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.INVALID_INPUT));
    }

    @Test
    void budgetsAreCreatedFoundUpdatedInPlaceAndUnique() {
        String name = unique("bu") + "-bedrock-monthly";
        CloudAccount.BudgetSpec spec = new CloudAccount.BudgetSpec(name, new BigDecimal("500"), "marketing", List.of(
                new CloudAccount.BudgetAlert("ACTUAL", 80, List.of("alice@example.com")),
                new CloudAccount.BudgetAlert("FORECASTED", 100, List.of("alice@example.com"))));
        account().createBudget(spec);
        assertThat(account().findBudget(name)).get().satisfies(b -> {
            assertThat(b.amountUsd()).isEqualByComparingTo("500");
            assertThat(b.alerts()).extracting(CloudAccount.BudgetAlert::type)
                    .containsExactlyInAnyOrder("ACTUAL", "FORECASTED");
        });
        assertThatThrownBy(() -> account().createBudget(spec)).isInstanceOfSatisfying(CloudException.class,
                e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.ALREADY_EXISTS));
        account().updateBudget(new CloudAccount.BudgetSpec(name, new BigDecimal("750"), "marketing",
                List.of(new CloudAccount.BudgetAlert("ACTUAL", 90, List.of("bob@example.com")))));
        assertThat(account().findBudget(name)).get().satisfies(b -> {
            assertThat(b.amountUsd()).isEqualByComparingTo("750");
            assertThat(b.alerts()).singleElement().satisfies(a -> {
                assertThat(a.thresholdPercent()).isEqualTo(90);
                assertThat(a.emails()).containsExactly("bob@example.com");
            });
        });
        assertThat(account().findBudget(unique("none"))).isEmpty();
    }

    @Test
    void secretsAreCreatedOnceAndFoundByName() {
        String name = unique("bu") + "/bedrock/api-key";
        String arn = account().createSecret(name, "ABSKnot-a-real-key".toCharArray(), TAGS, "test");
        assertThat(arn).contains(":secretsmanager:").contains(name);
        assertThat(account().findSecret(name)).contains(arn);
        assertThatThrownBy(() -> account().createSecret(name, "x".toCharArray(), Map.of(), "again"))
                .isInstanceOfSatisfying(CloudException.class,
                        e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.ALREADY_EXISTS));
        assertThat(account().findSecret(unique("missing"))).isEmpty();
    }

    @Test
    void callerIdentityNamesTheAccount() {
        assertThat(account().callerIdentity().account()).matches("\\d{12}");
    }
}
