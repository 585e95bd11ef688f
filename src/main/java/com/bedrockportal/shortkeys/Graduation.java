package com.bedrockportal.shortkeys;

import java.util.List;

import com.bedrockportal.application.Application;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.identity.PortalRole;

import jakarta.annotation.security.RolesAllowed;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * "Graduation" from long-term to 12-hour keys, for security: how many active applications still use long-term keys
 * (an IAM user with service-specific credentials) and which, and which use short-term keys only.
 */
@Service
public class Graduation {

    /** Most applications the list shows; the counts cover all of them. */
    public static final int MAX_ROWS = 500;

    /** The counts, and the active applications (long-term first, oldest first), at most {@link #MAX_ROWS}. */
    public record Overview(int active, int longTerm, int shortTerm, List<Application> applications,
            boolean truncated) {
    }

    private final ApplicationService applications;

    Graduation(ApplicationService applications) {
        this.applications = applications;
    }

    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    @Transactional(readOnly = true)
    public Overview overview() {
        Overview counts = counts();
        List<Application> listed = applications.activeLongTermFirst(MAX_ROWS);
        return new Overview(counts.active(), counts.longTerm(), counts.shortTerm(), listed,
                counts.active() > listed.size());
    }

    /** The counts only, counted by the database (the home page's card): no application is read. */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    @Transactional(readOnly = true)
    public Overview counts() {
        java.util.Map<Boolean, Integer> byTerm = applications.activeByShortTerm();
        int shortTerm = byTerm.get(true);
        int longTerm = byTerm.get(false);
        return new Overview(shortTerm + longTerm, longTerm, shortTerm, List.of(), false);
    }
}
