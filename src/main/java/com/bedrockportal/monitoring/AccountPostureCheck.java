package com.bedrockportal.monitoring;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import com.bedrockportal.application.ApplicationNames;
import com.bedrockportal.application.ApplicationService;
import com.bedrockportal.businessunit.BusinessUnitService;
import com.bedrockportal.identity.CurrentUser;
import com.bedrockportal.identity.PortalRole;
import com.bedrockportal.provisioning.AccountPosture;
import com.bedrockportal.provisioning.AccountPosture.InvocationLogging;
import com.bedrockportal.provisioning.AccountPosture.ManagementEvents;
import com.bedrockportal.provisioning.AccountPosture.TagStatus;
import com.bedrockportal.provisioning.AccountPosture.Trail;
import com.bedrockportal.provisioning.Budgets;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.PermissionCheck;
import com.bedrockportal.provisioning.PortalPermissions;

import jakarta.annotation.security.RolesAllowed;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The account posture: the initial-setup checklist of the runbook our users follow (credentials not in code, least
 * privilege, CloudTrail logging, budget alerts), plus what the portal itself relies on (Bedrock model invocation
 * logging, active cost-allocation tags), each checked live against the account and answered with a status, the
 * evidence and — unless green — how to fix it. A check the portal may not make, or that AWS fails, is UNKNOWN with
 * the reason; it never stops the other checks. Returns data (translation keys and their arguments); the page words
 * them. Read-only: nothing in AWS or the portal changes.
 */
@Service
public class AccountPostureCheck {

    public enum Status {
        GREEN, AMBER, RED, UNKNOWN
    }

    /** The lines of the checklist, in the page's order. */
    public enum Item {
        CREDENTIALS, PERMISSIONS, CLOUDTRAIL, INVOCATION_LOGGING, COST_TAGS, BUDGETS
    }

    /**
     * One line: its status, what was found ({@code evidenceKey} with its arguments) and, unless green, what to do
     * ({@code fixKey}, null when green).
     */
    public record Check(Item item, Status status, String evidenceKey, List<String> evidenceArgs, String fixKey,
            List<String> fixArgs) {

        static Check of(Item item, Status status, String evidenceKey, List<String> evidenceArgs) {
            return new Check(item, status, evidenceKey, evidenceArgs, null, List.of());
        }

        Check fix(String key, String... args) {
            return new Check(item, status, evidenceKey, evidenceArgs, key, List.of(args));
        }
    }

    /** A whole check: when, by whom, and every line. */
    public record Posture(Instant checkedAt, String checkedBy, List<Check> checks) {

        public Optional<Check> line(Item item) {
            return checks.stream().filter(c -> c.item() == item).findFirst();
        }
    }

    /** The IAM action behind each AWS operation asked here (an UNKNOWN line says which one to grant). */
    static final Map<String, String> ACTIONS = Map.of(
            "DescribeTrails", "cloudtrail:DescribeTrails", "GetTrailStatus", "cloudtrail:GetTrailStatus",
            "GetEventSelectors", "cloudtrail:GetEventSelectors",
            "GetModelInvocationLoggingConfiguration", "bedrock:GetModelInvocationLoggingConfiguration",
            "ListCostAllocationTags", "ce:ListCostAllocationTags", "DescribeBudget", "budgets:ViewBudget",
            "GetCallerIdentity", "sts:GetCallerIdentity", "SimulatePrincipalPolicy", "iam:SimulatePrincipalPolicy");
    /** How Cost Explorer may list a tag that Bedrock carries from the calling IAM user (IAM principal attribution). */
    static final String PRINCIPAL_PREFIX = "iamPrincipal/";
    private static final int LISTED = 8;

    private final AccountPosture posture;
    private final PermissionCheck permissions;
    private final Budgets budgets;
    private final BusinessUnitService units;
    private final ApplicationService applications;
    private final PostureProperties properties;
    private final List<String> regions;
    private final CurrentUser currentUser;
    private final Clock clock;
    private final AtomicReference<Posture> last = new AtomicReference<>();

    AccountPostureCheck(AccountPosture posture, PermissionCheck permissions, Budgets budgets,
            BusinessUnitService units, ApplicationService applications, PostureProperties properties,
            @Value("${portal.requests.regions:us-east-1}") List<String> requestRegions,
            @Value("${portal.aws.region:us-east-1}") String portalRegion, CurrentUser currentUser, Clock clock) {
        this.posture = posture;
        this.permissions = permissions;
        this.budgets = budgets;
        this.units = units;
        this.applications = applications;
        this.properties = properties;
        List<String> r = properties.regions().isEmpty() ? requestRegions : properties.regions();
        this.regions = r.isEmpty() ? List.of(portalRegion)
                : r.stream().map(String::strip).distinct().limit(PostureProperties.MAX_REGIONS).toList();
        this.currentUser = currentUser;
        this.clock = clock;
    }

    /** The last check made on this portal node, if any. */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    public Optional<Posture> last() {
        return Optional.ofNullable(last.get());
    }

    /** Checks every line now (one AWS look-up or a few per line) and keeps the answer as the last check. */
    @RolesAllowed({ PortalRole.SECURITY_ROLE, PortalRole.ADMIN_ROLE })
    public Posture check() {
        String account = "<account-id>";
        List<Check> checks = new ArrayList<>();
        try {
            AccountPosture.Credentials credentials = posture.credentials();
            account = accountOf(credentials.arn(), account);
            checks.add(credentials(credentials));
        } catch (CloudException e) {
            checks.add(unknown(Item.CREDENTIALS, e));
        }
        checks.add(guard(Item.PERMISSIONS, this::permissions));
        checks.add(guard(Item.CLOUDTRAIL, () -> trail(posture.trails())));
        checks.add(guard(Item.INVOCATION_LOGGING, this::invocationLogging));
        checks.add(guard(Item.COST_TAGS, this::costTags));
        String accountId = account;
        checks.add(guard(Item.BUDGETS, () -> budgets(accountId)));
        Posture result = new Posture(clock.instant(), currentUser.usernameOrAnonymous(), List.copyOf(checks));
        last.set(result);
        return result;
    }

    private static Check guard(Item item, Supplier<Check> check) {
        try {
            return check.get();
        } catch (CloudException e) {
            return unknown(item, e);
        }
    }

    /** The portal lacks the permission, or AWS failed: the line cannot say, and says why. */
    static Check unknown(Item item, CloudException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e.kind() == CloudException.Kind.ACCESS_DENIED) {
            String action = ACTIONS.getOrDefault(e.operation(), e.operation());
            return Check.of(item, Status.UNKNOWN, "posture.unknown.denied", List.of(e.operation(), message))
                    .fix("posture.fix.permission", action);
        }
        return Check.of(item, Status.UNKNOWN, "posture.unknown.failed", List.of(e.operation(), message))
                .fix("posture.fix.retry");
    }

    static String accountOf(String arn, String fallback) {
        String[] parts = arn == null ? new String[0] : arn.split(":");
        return parts.length > 4 && parts[4].matches("\\d{12}") ? parts[4] : fallback;
    }

    // --- the lines

    static Check credentials(AccountPosture.Credentials c) {
        return switch (c.kind()) {
            case SIMULATED -> Check.of(Item.CREDENTIALS, Status.GREEN, "posture.credentials.simulated",
                    List.of(c.arn()));
            case ROLE -> Check.of(Item.CREDENTIALS, Status.GREEN, "posture.credentials.role", List.of(c.arn()));
            case IAM_USER -> Check.of(Item.CREDENTIALS, Status.AMBER, "posture.credentials.user", List.of(c.arn()))
                    .fix("posture.fix.credentials.user");
            case ROOT -> Check.of(Item.CREDENTIALS, Status.RED, "posture.credentials.root", List.of(c.arn()))
                    .fix("posture.fix.credentials.root");
        };
    }

    private Check permissions() {
        List<String> denied = permissions.deniedActions(PortalPermissions.REQUIRED);
        if (denied.isEmpty()) {
            return Check.of(Item.PERMISSIONS, Status.GREEN, "posture.permissions.ok",
                    List.of(Integer.toString(PortalPermissions.REQUIRED.size())));
        }
        String statement = "{ \"Effect\": \"Allow\", \"Action\": [" + String.join(", ", denied.stream()
                .map(a -> "\"" + a + "\"").toList()) + "], \"Resource\": \"*\" }";
        return Check.of(Item.PERMISSIONS, Status.RED, "posture.permissions.missing",
                List.of(Integer.toString(denied.size()), Integer.toString(PortalPermissions.REQUIRED.size()),
                        String.join(", ", denied)))
                .fix("posture.fix.permissions", statement);
    }

    /** The best trail decides: logging, logging Bedrock's management events, across regions, delivering. */
    static Check trail(List<Trail> trails) {
        if (trails.isEmpty()) {
            return Check.of(Item.CLOUDTRAIL, Status.RED, "posture.trail.none", List.of())
                    .fix("posture.fix.trail.create");
        }
        Trail best = trails.stream().max(Comparator.comparingInt(AccountPostureCheck::score)).orElseThrow();
        String region = best.homeRegion() == null ? "" : best.homeRegion();
        List<String> args = List.of(best.name(), region, best.managementEvents().name(),
                best.multiRegion() ? "yes" : "no");
        if (!best.logging()) {
            return Check.of(Item.CLOUDTRAIL, Status.RED, "posture.trail.stopped", args)
                    .fix("posture.fix.trail.start", best.arn(), region);
        }
        if (!coversBedrock(best)) {
            return Check.of(Item.CLOUDTRAIL, Status.RED, best.bedrockExcluded() ? "posture.trail.bedrockExcluded"
                    : "posture.trail.noManagementEvents", args)
                    .fix("posture.fix.trail.selectors", best.arn(), region);
        }
        if (!best.multiRegion()) {
            return Check.of(Item.CLOUDTRAIL, Status.AMBER, "posture.trail.singleRegion", args)
                    .fix("posture.fix.trail.multiRegion", best.arn(), region);
        }
        if (best.latestDeliveryError() != null) {
            return Check.of(Item.CLOUDTRAIL, Status.AMBER, "posture.trail.deliveryError",
                    List.of(best.name(), best.latestDeliveryError())).fix("posture.fix.trail.delivery", best.name());
        }
        return Check.of(Item.CLOUDTRAIL, Status.GREEN, "posture.trail.ok", args);
    }

    /**
     * InvokeModel, InvokeModelWithResponseStream, Converse and ConverseStream are management events (Bedrock user
     * guide, "Monitor Amazon Bedrock API calls using CloudTrail") recorded with {@code readOnly: false}: a trail must
     * log all or write management events and not exclude bedrock.amazonaws.com.
     */
    static boolean coversBedrock(Trail t) {
        return (t.managementEvents() == ManagementEvents.ALL || t.managementEvents() == ManagementEvents.WRITE_ONLY)
                && !t.bedrockExcluded();
    }

    private static int score(Trail t) {
        return (t.logging() ? 8 : 0) + (coversBedrock(t) ? 4 : 0) + (t.multiRegion() ? 2 : 0)
                + (t.latestDeliveryError() == null ? 1 : 0);
    }

    private Check invocationLogging() {
        List<String> off = new ArrayList<>();
        List<String> on = new ArrayList<>();
        for (String region : regions) {
            InvocationLogging logging = posture.invocationLogging(region);
            if (logging.enabled()) {
                on.add(region + " → " + (logging.logGroup() != null ? "CloudWatch Logs " + logging.logGroup()
                        : "S3 " + logging.bucket()));
            } else {
                off.add(region);
            }
        }
        if (off.isEmpty()) {
            return Check.of(Item.INVOCATION_LOGGING, Status.GREEN, "posture.logging.ok",
                    List.of(Integer.toString(regions.size()), String.join("; ", on)));
        }
        return Check.of(Item.INVOCATION_LOGGING, Status.RED, "posture.logging.off",
                List.of(String.join(", ", off), Integer.toString(regions.size())))
                .fix("posture.fix.logging", off.get(0));
    }

    private Check costTags() {
        List<String> wanted = new ArrayList<>(properties.requiredTags());
        wanted.addAll(properties.recommendedTags());
        List<String> asked = new ArrayList<>();
        wanted.forEach(k -> {
            asked.add(k);
            asked.add(PRINCIPAL_PREFIX + k);
        });
        Map<String, TagStatus> listed = posture.costAllocationTags(asked);
        Map<String, String> state = new LinkedHashMap<>();
        for (String k : wanted) {
            TagStatus plain = listed.get(k);
            TagStatus principal = listed.get(PRINCIPAL_PREFIX + k);
            state.put(k, plain == TagStatus.ACTIVE || principal == TagStatus.ACTIVE ? "Active"
                    : plain != null || principal != null ? "Inactive" : "not listed yet");
        }
        String evidence = String.join(", ", state.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .toList());
        List<String> inactive = properties.requiredTags().stream().filter(k -> state.get(k).equals("Inactive"))
                .toList();
        List<String> notListed = wanted.stream().filter(k -> state.get(k).equals("not listed yet")).toList();
        List<String> recommendedOff = properties.recommendedTags().stream().filter(k -> state.get(k)
                .equals("Inactive")).toList();
        List<String> toActivate = wanted.stream().filter(k -> !state.get(k).equals("Active")).toList();
        String command = String.join(" ", toActivate.stream().map(k -> "TagKey=" + k + ",Status=Active").toList());
        if (!inactive.isEmpty()) {
            return Check.of(Item.COST_TAGS, Status.RED, "posture.tags.inactive", List.of(String.join(", ", inactive),
                    evidence)).fix("posture.fix.tags", String.join(", ", toActivate), command);
        }
        if (!notListed.isEmpty() || !recommendedOff.isEmpty()) {
            return Check.of(Item.COST_TAGS, Status.AMBER, notListed.isEmpty() ? "posture.tags.recommended"
                    : "posture.tags.notListed", List.of(String.join(", ", notListed.isEmpty() ? recommendedOff
                            : notListed), evidence)).fix("posture.fix.tags", String.join(", ", toActivate), command);
        }
        return Check.of(Item.COST_TAGS, Status.GREEN, "posture.tags.ok", List.of(evidence));
    }

    /** Every unit's unit-wide budget and every active application's budget exists and alerts someone. */
    Check budgets(String account) {
        Set<String> targets = new LinkedHashSet<>();
        units.active().forEach(u -> targets.add(ApplicationNames.unitBudget(u.slug())));
        // The count cap comes before any AWS call: one DescribeBudget (and its notifications) per budget. Budget
        // names are read from the applications only as far as the cap can reach; the rest are counted in SQL. An
        // application that records no budget costs no AWS call: all of them are counted, the first few named.
        // A budget name an application shares with a unit (kept from before applications) is one budget.
        ApplicationService.ActiveBudgets apps = applications.activeBudgets(properties.maxBudgets(), LISTED,
                List.copyOf(targets));
        int unitBudgets = targets.size();
        targets.addAll(apps.names());
        int unrecorded = apps.withoutCount();
        int total = unitBudgets + Math.max(0, apps.nameCount() - apps.amongCount()) + unrecorded;
        List<String> names = targets.stream().limit(properties.maxBudgets()).toList();
        List<String> missing = new ArrayList<>(apps.without().stream()
                .map(s -> "application " + s + " (none recorded)").toList());
        int missingNotNamed = Math.max(0, unrecorded - missing.size());
        List<String> silent = new ArrayList<>();
        List<String> noSubscribers = new ArrayList<>();
        for (String name : names) {
            Optional<Budgets.BudgetSpec> budget = budgets.findBudget(name);
            if (budget.isEmpty()) {
                missing.add(name);
            } else if (budget.get().alerts().isEmpty()) {
                silent.add(name);
            } else if (budget.get().alerts().stream().allMatch(a -> a.emails().isEmpty())) {
                noSubscribers.add(name);
            }
        }
        String checked = Integer.toString(names.size() + unrecorded);
        if (!missing.isEmpty() || !silent.isEmpty()) {
            String first = !silent.isEmpty() ? silent.get(0) : missing.stream().filter(targets::contains)
                    .findFirst().orElse("<unit>-bedrock-monthly");
            return Check.of(Item.BUDGETS, Status.RED, "posture.budgets.red", List.of(listed(missing, missingNotNamed),
                    listed(silent, 0), checked, Integer.toString(total))).fix("posture.fix.budgets", account, first);
        }
        if (!noSubscribers.isEmpty() || names.size() + unrecorded < total) {
            return Check.of(Item.BUDGETS, Status.AMBER, noSubscribers.isEmpty() ? "posture.budgets.cut"
                    : "posture.budgets.noSubscribers", List.of(listed(noSubscribers, 0), checked,
                            Integer.toString(total))).fix(noSubscribers.isEmpty() ? "posture.fix.budgets.cut"
                                    : "posture.fix.budgets", account, noSubscribers.isEmpty() ? ""
                                            : noSubscribers.get(0));
        }
        return Check.of(Item.BUDGETS, Status.GREEN, "posture.budgets.ok", List.of(checked));
    }

    /** The first {@value #LISTED} names, and how many more there are ({@code more}: others not in the list). */
    private static String listed(List<String> names, int more) {
        if (names.isEmpty() && more == 0) {
            return "—";
        }
        String shown = String.join(", ", names.stream().limit(LISTED).toList());
        int hidden = Math.max(0, names.size() - LISTED) + more;
        return hidden > 0 ? shown + " … (+" + hidden + ")" : shown;
    }
}
