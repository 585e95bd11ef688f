package com.bedrockportal.identity;

import java.util.List;
import java.util.UUID;

import com.bedrockportal.testsupport.PostgresSupport;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Looking one user up reads that user's row: by name, by e-mail (ignoring case, only when unique) and by role. */
class UserDirectoryIT extends PostgresSupport {

    @Autowired
    UserDirectory directory;

    @Test
    void findsOneUserByNameExactly() {
        String name = "ud-" + UUID.randomUUID().toString().substring(0, 8);
        directory.recordLogin(name, "Una Dee", name + "@example.com", List.of(PortalRole.REQUESTER));
        assertThat(directory.find(name)).hasValueSatisfying(u -> {
            assertThat(u.displayName()).isEqualTo("Una Dee");
            assertThat(u.roles()).isEqualTo("REQUESTER");
            assertThat(u.lastLoginAt()).isNotNull();
        });
        assertThat(directory.find(name.substring(0, 5))).isEmpty();
        assertThat(directory.find(name + "%")).isEmpty();
    }

    @Test
    void findsByEMailIgnoringCaseOnlyWhenOneUserHasIt() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        directory.recordLogin("ud-a-" + tag, null, "Dana." + tag + "@Example.com", List.of(PortalRole.REQUESTER));
        assertThat(directory.findByEmail("  dana." + tag + "@example.COM ")).map(UserDirectory.KnownUser::username)
                .hasValue("ud-a-" + tag);
        directory.recordLogin("ud-b-" + tag, null, "shared." + tag + "@example.com", List.of(PortalRole.REQUESTER));
        directory.recordLogin("ud-c-" + tag, null, "SHARED." + tag + "@example.com", List.of(PortalRole.MANAGER));
        assertThat(directory.findByEmail("shared." + tag + "@example.com")).isEmpty();
        assertThat(directory.findByEmail("nobody." + tag + "@example.com")).isEmpty();
        assertThat(directory.findByEmail(" ")).isEmpty();
    }

    @Test
    void listsTheUsersWhoseLastLoginCarriedARole() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        directory.recordLogin("ud-m-" + tag, null, null, List.of(PortalRole.REQUESTER, PortalRole.MANAGER));
        directory.recordLogin("ud-r-" + tag, null, null, List.of(PortalRole.REQUESTER));
        directory.recordLogin("ud-s-" + tag, null, null, List.of(PortalRole.SECURITY));
        assertThat(directory.withRole(PortalRole.MANAGER)).extracting(UserDirectory.KnownUser::username)
                .contains("ud-m-" + tag).doesNotContain("ud-r-" + tag, "ud-s-" + tag).isSorted();
        assertThat(directory.withRole(PortalRole.REQUESTER)).extracting(UserDirectory.KnownUser::username)
                .contains("ud-m-" + tag, "ud-r-" + tag).doesNotContain("ud-s-" + tag);
    }

    /** The unit editor's pickers read a page of names at a time, filtered in SQL, a wildcard taken literally. */
    @Test
    void pickersReadAPageOfNamesFilteredWithoutWildcards() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        for (String n : List.of("pk-c-", "pk-a-", "pk-b-", "pkxa-")) {
            directory.recordLogin(n + tag, null, null, List.of(PortalRole.REQUESTER));
        }
        assertThat(directory.usernames("PK-A-" + tag.toUpperCase(java.util.Locale.ROOT), 0, 10))
                .as("ignoring case").containsExactly("pk-a-" + tag);
        String mixed = "Pk-Mixed-" + UUID.randomUUID().toString().substring(0, 8);
        directory.recordLogin(mixed, null, null, List.of(PortalRole.REQUESTER));
        assertThat(directory.usernames(mixed.toLowerCase(java.util.Locale.ROOT), 0, 10)).containsExactly(mixed);
        assertThat(directory.usernames("k-a-" + tag, 0, 10)).containsExactly("pk-a-" + tag);
        assertThat(directory.usernames("-" + tag, 0, 10)).as("in name order, a page at a time")
                .containsExactly("pk-a-" + tag, "pk-b-" + tag, "pk-c-" + tag, "pkxa-" + tag);
        assertThat(directory.usernames("-" + tag, 1, 2)).containsExactly("pk-b-" + tag, "pk-c-" + tag);
        assertThat(directory.usernames("pk_a-" + tag, 0, 10)).as("_ is no wildcard").isEmpty();
        for (int i = 0; i < UserDirectory.MAX_PAGE + 1; i++) {
            directory.recordLogin("pm-" + i + "-" + tag, null, null, List.of(PortalRole.REQUESTER));
        }
        assertThat(directory.usernames("-" + tag, 0, 10_000)).as("at most a page, whatever is asked")
                .hasSize(UserDirectory.MAX_PAGE);
        String longest = ("pl-" + tag + "-").concat("x".repeat(128)).substring(0, 128);
        directory.recordLogin(longest, null, null, List.of(PortalRole.REQUESTER));
        assertThat(directory.usernames(longest + "yyyy", 0, 10)).as("a filter is cut at 128 characters")
                .containsExactly(longest);
        assertThat(directory.usernames(longest.substring(0, 127) + "z", 0, 10)).isEmpty();
    }
}
