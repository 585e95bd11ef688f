package com.bedrockportal.provisioning;

import java.util.Map;
import java.util.UUID;

/**
 * What the port contracts share. Each cloud port has its contract ({@code IamUsersContract}, ...): an interface whose
 * default {@code @Test} methods say what both adapters must do alike. The simulated account's test and the AWS SDK
 * adapter's test (moto and WireMock) implement every contract; a new port gets a new contract, implemented by both.
 */
public final class Contracts {

    public static final Map<String, String> TAGS = Map.of("business-unit", "marketing", "purpose", "bedrock",
            "created-by", "bedrock-access-portal");

    private Contracts() {
    }

    /** A name no other test run uses: the AWS adapter's account (moto) outlives a test run. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
