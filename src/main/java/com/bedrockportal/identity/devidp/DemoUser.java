package com.bedrockportal.identity.devidp;

import java.util.List;

/**
 * A user of the embedded login provider. Only used in the embedded default mode, never against a real IdP.
 */
public record DemoUser(String username, String password, String displayName, String email, List<String> groups,
        String description) {

    /** The demo users listed in the README and on the embedded login page. */
    public static List<DemoUser> defaults() {
        return List.of(
                new DemoUser("alice", "alice-demo", "Alice Requester", "alice@example.com",
                        List.of("portal-requesters"), "Team lead in marketing: requests Bedrock access"),
                new DemoUser("mike", "mike-demo", "Mike Manager", "mike@example.com",
                        List.of("portal-managers", "portal-requesters"), "Manager of marketing: approves its requests"),
                new DemoUser("bob", "bob-demo", "Bob Builder", "bob@example.com",
                        List.of("portal-requesters"), "Team lead in data science: another unit's requester"),
                new DemoUser("sara", "sara-demo", "Sara Security", "sara@example.com",
                        List.of("portal-security"), "Security team: reviews policies, audit, incidents"),
                new DemoUser("adam", "adam-demo", "Adam Admin", "adam@example.com",
                        List.of("portal-admins"), "Platform admin: business units, catalog, Camunda"));
    }
}
