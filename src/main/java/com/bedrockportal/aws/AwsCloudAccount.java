package com.bedrockportal.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import com.bedrockportal.provisioning.AccountIdentity;
import com.bedrockportal.provisioning.BudgetReadings;
import com.bedrockportal.provisioning.Budgets;
import com.bedrockportal.provisioning.CloudException;
import com.bedrockportal.provisioning.CloudException.Kind;
import com.bedrockportal.provisioning.IamUsers;
import com.bedrockportal.provisioning.PermissionCheck;
import com.bedrockportal.provisioning.Secrets;
import com.bedrockportal.provisioning.ServiceCredentials;
import com.bedrockportal.provisioning.UserPolicies;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.budgets.BudgetsClient;
import software.amazon.awssdk.services.budgets.model.Budget;
import software.amazon.awssdk.services.budgets.model.BudgetType;
import software.amazon.awssdk.services.budgets.model.ComparisonOperator;
import software.amazon.awssdk.services.budgets.model.Dimension;
import software.amazon.awssdk.services.budgets.model.DuplicateRecordException;
import software.amazon.awssdk.services.budgets.model.Expression;
import software.amazon.awssdk.services.budgets.model.ExpressionDimensionValues;
import software.amazon.awssdk.services.budgets.model.Metric;
import software.amazon.awssdk.services.budgets.model.Notification;
import software.amazon.awssdk.services.budgets.model.NotificationType;
import software.amazon.awssdk.services.budgets.model.NotificationWithSubscribers;
import software.amazon.awssdk.services.budgets.model.Spend;
import software.amazon.awssdk.services.budgets.model.Subscriber;
import software.amazon.awssdk.services.budgets.model.SubscriptionType;
import software.amazon.awssdk.services.budgets.model.TagValues;
import software.amazon.awssdk.services.budgets.model.ThresholdType;
import software.amazon.awssdk.services.budgets.model.TimeUnit;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ContextEntry;
import software.amazon.awssdk.services.iam.model.ContextKeyTypeEnum;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.InvalidInputException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
import software.amazon.awssdk.services.iam.model.ServiceSpecificCredential;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The portal's AWS operations on the AWS SDK v2: every cloud port of the provisioning module, one section per port,
 * on one SDK client per service built once here (and closed with {@link AwsClients} when the application stops).
 * Business failures (already exists, not found, limits, access denied, invalid input) and transient ones (throttling,
 * 5xx, timeouts — after the SDK's own retries) come out as {@link CloudException}s; logs and messages name
 * resources, never a secret value.
 */
class AwsCloudAccount implements IamUsers, UserPolicies, ServiceCredentials, Budgets, Secrets, AccountIdentity,
        PermissionCheck, BudgetReadings {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AwsCloudAccount.class);

    /** The cost filter of budgets and spend reports: the SERVICE dimension's value and the cost-allocation tags. */
    static final String BEDROCK_SERVICE_FILTER = "Amazon Bedrock";
    static final String UNIT_TAG = "business-unit";
    static final String APPLICATION_TAG = "application";

    private final IamClient iam;
    private final BudgetsClient budgets;
    private final SecretsManagerClient secrets;
    private final StsClient sts;
    private volatile String accountId;

    AwsCloudAccount(AwsClients clients) {
        this.iam = clients.iam();
        this.budgets = clients.budgets();
        this.secrets = clients.secretsManager();
        this.sts = clients.sts();
    }

    // --- AccountIdentity

    @Override
    public CallerIdentity callerIdentity() {
        return call("GetCallerIdentity", () -> {
            var id = sts.getCallerIdentity();
            accountId = id.account();
            return new CallerIdentity(id.account(), id.arn(), id.userId());
        });
    }

    // --- PermissionCheck

    @Override
    public List<String> deniedActions(List<String> actions) {
        String arn = principalArn(callerIdentity().arn());
        return call("SimulatePrincipalPolicy", () -> iam.simulatePrincipalPolicy(r -> r.policySourceArn(arn)
                .actionNames(actions)).evaluationResults().stream()
                .filter(e -> e.evalDecision() != PolicyEvaluationDecisionType.ALLOWED)
                .map(e -> e.evalActionName()).toList());
    }

    @Override
    public List<SimulationCase> notAllowedBy(String policyJson, List<SimulationCase> cases) {
        List<SimulationCase> refused = new ArrayList<>();
        for (SimulationCase c : cases) {
            List<ContextEntry> context = c.context().entrySet().stream().map(e -> ContextEntry.builder()
                    .contextKeyName(e.getKey()).contextKeyValues(e.getValue())
                    .contextKeyType(e.getKey().equals("aws:SourceIp") ? ContextKeyTypeEnum.IP
                            : ContextKeyTypeEnum.STRING).build()).toList();
            boolean allowed = call("SimulateCustomPolicy", () -> iam.simulateCustomPolicy(r -> r
                    .policyInputList(policyJson).actionNames(c.action()).resourceArns(c.resourceArn())
                    .contextEntries(context)).evaluationResults().stream()
                    .allMatch(e -> e.evalDecision() == PolicyEvaluationDecisionType.ALLOWED));
            if (!allowed) {
                refused.add(c);
            }
        }
        return List.copyOf(refused);
    }

    /** An assumed-role session is simulated as its role. */
    static String principalArn(String callerArn) {
        var m = java.util.regex.Pattern.compile("^arn:(aws[\\w-]*):sts::(\\d{12}):assumed-role/([^/]+)/.*$")
                .matcher(callerArn);
        return m.matches() ? "arn:" + m.group(1) + ":iam::" + m.group(2) + ":role/" + m.group(3) : callerArn;
    }

    // --- IamUsers

    @Override
    public Optional<IamUser> findUser(String userName) {
        return call("GetUser", () -> {
            try {
                User user = iam.getUser(r -> r.userName(userName)).user();
                Map<String, String> tags = new LinkedHashMap<>();
                iam.listUserTags(r -> r.userName(userName)).tags().forEach(t -> tags.put(t.key(), t.value()));
                return Optional.of(new IamUser(user.userName(), user.arn(), user.path(), tags, user.createDate()));
            } catch (NoSuchEntityException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public IamUser createUser(String userName, String path, Map<String, String> tags) {
        call("CreateUser", () -> iam.createUser(r -> r.userName(userName).path(path).tags(tags.entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList())));
        return findUser(userName).orElseThrow();
    }

    // --- UserPolicies

    @Override
    public Optional<String> findUserPolicy(String userName, String policyName) {
        return call("GetUserPolicy", () -> {
            try {
                String encoded = iam.getUserPolicy(r -> r.userName(userName).policyName(policyName)).policyDocument();
                return Optional.of(java.net.URLDecoder.decode(encoded, java.nio.charset.StandardCharsets.UTF_8));
            } catch (NoSuchEntityException e) {
                if (findUser(userName).isEmpty()) {
                    throw e;
                }
                return Optional.empty();
            }
        });
    }

    @Override
    public void putUserPolicy(String userName, String policyName, String policyJson) {
        call("PutUserPolicy", () -> iam.putUserPolicy(r -> r.userName(userName).policyName(policyName)
                .policyDocument(policyJson)));
    }

    // --- ServiceCredentials

    @Override
    public List<ServiceCredential> listServiceCredentials(String userName, String serviceName) {
        return call("ListServiceSpecificCredentials", () -> iam.listServiceSpecificCredentials(r -> r.userName(userName)
                .serviceName(serviceName)).serviceSpecificCredentials().stream()
                .map(c -> new ServiceCredential(c.serviceSpecificCredentialId(), c.userName(), c.serviceName(),
                        c.statusAsString(), c.createDate(), c.expirationDate()))
                .toList());
    }

    @Override
    public NewServiceCredential createServiceCredential(String userName, String serviceName, int credentialAgeDays) {
        return call("CreateServiceSpecificCredential", () -> {
            ServiceSpecificCredential c = iam.createServiceSpecificCredential(r -> r.userName(userName)
                    .serviceName(serviceName).credentialAgeDays(credentialAgeDays)).serviceSpecificCredential();
            String secret = c.serviceCredentialSecret() != null ? c.serviceCredentialSecret() : c.servicePassword();
            return new NewServiceCredential(new ServiceCredential(c.serviceSpecificCredentialId(), c.userName(),
                    c.serviceName(), c.statusAsString(), c.createDate(), c.expirationDate()), secret.toCharArray());
        });
    }

    @Override
    public void updateServiceCredentialStatus(String userName, String credentialId, boolean active) {
        call("UpdateServiceSpecificCredential", () -> iam.updateServiceSpecificCredential(r -> r.userName(userName)
                .serviceSpecificCredentialId(credentialId).status(active ? StatusType.ACTIVE : StatusType.INACTIVE)));
    }

    @Override
    public void deleteServiceCredential(String userName, String credentialId) {
        call("DeleteServiceSpecificCredential", () -> iam.deleteServiceSpecificCredential(r -> r.userName(userName)
                .serviceSpecificCredentialId(credentialId)));
    }

    // --- Budgets

    @Override
    public Optional<BudgetSpec> findBudget(String budgetName) {
        return call("DescribeBudget", () -> {
            Budget budget;
            try {
                budget = budgets.describeBudget(r -> r.accountId(account()).budgetName(budgetName)).budget();
            } catch (software.amazon.awssdk.services.budgets.model.NotFoundException e) {
                return Optional.empty();
            }
            List<BudgetAlert> alerts = new ArrayList<>();
            for (Notification n : budgets.describeNotificationsForBudget(r -> r.accountId(account())
                    .budgetName(budgetName)).notifications()) {
                List<String> emails = budgets.describeSubscribersForNotification(r -> r.accountId(account())
                        .budgetName(budgetName).notification(n)).subscribers().stream()
                        .filter(s -> s.subscriptionType() == SubscriptionType.EMAIL).map(Subscriber::address).toList();
                alerts.add(new BudgetAlert(n.notificationTypeAsString(), (int) Math.round(n.threshold()), emails));
            }
            if (budget.filterExpression() != null && budget.filterExpression().hasAnd()) {
                return Optional.of(new BudgetSpec(budget.budgetName(), budget.budgetLimit().amount(),
                        tagValue(budget.filterExpression(), UNIT_TAG), alerts,
                        tagValue(budget.filterExpression(), APPLICATION_TAG)));
            }
            String tag = budget.costFilters() == null ? null : budget.costFilters().getOrDefault("TagKeyValue",
                    List.of()).stream().findFirst().map(v -> v.substring(v.indexOf('$') + 1)).orElse(null);
            return Optional.of(new BudgetSpec(budget.budgetName(), budget.budgetLimit().amount(), tag, alerts));
        });
    }

    @Override
    public void createBudget(BudgetSpec spec) {
        call("CreateBudget", () -> budgets.createBudget(r -> r.accountId(account()).budget(budget(spec))
                .notificationsWithSubscribers(spec.alerts().stream().map(a -> NotificationWithSubscribers.builder()
                        .notification(notification(a)).subscribers(subscribers(a)).build()).toList())));
    }

    @Override
    public void updateBudget(BudgetSpec spec) {
        call("UpdateBudget", () -> {
            budgets.updateBudget(r -> r.accountId(account()).newBudget(budget(spec)));
            // UpdateBudget leaves notifications alone: replace them.
            for (Notification n : budgets.describeNotificationsForBudget(r -> r.accountId(account())
                    .budgetName(spec.name())).notifications()) {
                budgets.deleteNotification(r -> r.accountId(account()).budgetName(spec.name()).notification(n));
            }
            for (BudgetAlert a : spec.alerts()) {
                budgets.createNotification(r -> r.accountId(account()).budgetName(spec.name())
                        .notification(notification(a)).subscribers(subscribers(a)));
            }
            return null;
        });
    }

    // --- Secrets

    @Override
    public Optional<Found> lookUp(String name) {
        return call("DescribeSecret", () -> {
            try {
                var described = secrets.describeSecret(r -> r.secretId(name));
                return Optional.of(new Found(described.arn(), described.deletedDate() != null));
            } catch (ResourceNotFoundException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public String createSecret(String name, char[] value, Map<String, String> tags, String description) {
        return call("CreateSecret", () -> secrets.createSecret(r -> r.name(name).description(description)
                .secretString(new String(value))
                .tags(tags.entrySet().stream().map(t -> software.amazon.awssdk.services.secretsmanager.model.Tag
                        .builder().key(t.getKey()).value(t.getValue()).build()).toList()))
                .arn());
    }

    @Override
    public void putSecretValue(String name, char[] value) {
        call("PutSecretValue", () -> secrets.putSecretValue(r -> r.secretId(name).secretString(new String(value))));
    }

    @Override
    public void stagePendingValue(String name, String versionId, char[] value) {
        call("PutSecretValue", () -> secrets.putSecretValue(r -> r.secretId(name).clientRequestToken(versionId)
                .secretString(new String(value)).versionStages(PENDING)));
    }

    @Override
    public boolean promote(String name, String versionId) {
        Map<String, List<String>> stages = call("DescribeSecret",
                () -> secrets.describeSecret(r -> r.secretId(name)).versionIdsToStages());
        if (!stages.containsKey(versionId)) {
            throw new CloudException(Kind.NOT_FOUND, "UpdateSecretVersionStage", "ResourceNotFoundException: "
                    + name + " has no version " + versionId);
        }
        String current = stages.entrySet().stream().filter(e -> e.getValue().contains(CURRENT))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (versionId.equals(current)) {
            return false;
        }
        call("UpdateSecretVersionStage", () -> secrets.updateSecretVersionStage(r -> r.secretId(name)
                .versionStage(CURRENT).moveToVersionId(versionId).removeFromVersionId(current)));
        if (stages.get(versionId).contains(PENDING)) {
            try {
                call("UpdateSecretVersionStage", () -> secrets.updateSecretVersionStage(r -> r.secretId(name)
                        .versionStage(PENDING).removeFromVersionId(versionId)));
            } catch (CloudException e) {
                if (!e.business()) {
                    throw e;
                }
                // The version is current already, which is what counts; the stale pending label is cosmetic.
                log.warn("Secret {}: version {} is current, but its {} label stays ({})", name, versionId, PENDING,
                        e.kind());
            }
        }
        return true;
    }

    @Override
    public Optional<String> currentVersion(String name) {
        try {
            return call("DescribeSecret", () -> secrets.describeSecret(r -> r.secretId(name)).versionIdsToStages())
                    .entrySet().stream().filter(e -> e.getValue().contains(CURRENT)).map(Map.Entry::getKey)
                    .findFirst();
        } catch (CloudException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    // --- shared

    private String account() {
        if (accountId == null) {
            callerIdentity();
        }
        return accountId;
    }

    private static Budget budget(BudgetSpec spec) {
        if (spec.applicationTag() != null) {
            return applicationBudget(spec);
        }
        Map<String, List<String>> filters = new LinkedHashMap<>();
        filters.put("Service", List.of(BEDROCK_SERVICE_FILTER));
        if (spec.businessUnitTag() != null) {
            filters.put("TagKeyValue", List.of("user:business-unit$" + spec.businessUnitTag()));
        }
        return Budget.builder().budgetName(spec.name()).budgetType(BudgetType.COST).timeUnit(TimeUnit.MONTHLY)
                .budgetLimit(Spend.builder().amount(spec.amountUsd()).unit("USD").build()).costFilters(filters)
                .build();
    }

    private static Notification notification(BudgetAlert alert) {
        return Notification.builder().notificationType(NotificationType.fromValue(alert.type()))
                .comparisonOperator(ComparisonOperator.GREATER_THAN).threshold((double) alert.thresholdPercent())
                .thresholdType(ThresholdType.PERCENTAGE).build();
    }

    private static List<Subscriber> subscribers(BudgetAlert alert) {
        return alert.emails().stream().map(e -> Subscriber.builder().subscriptionType(SubscriptionType.EMAIL)
                .address(e).build()).toList();
    }

    /** Runs one AWS operation, turning its failures into {@link CloudException}s (shared by the adapters here). */
    static <T> T call(String operation, Supplier<T> action) {
        try {
            return action.get();
        } catch (AwsServiceException e) {
            throw new CloudException(kindOf(e), operation, message(e), e);
        } catch (SdkClientException e) {
            throw new CloudException(Kind.TRANSIENT, operation, e.getMessage(), e);
        }
    }

    /**
     * What kind of failure an SDK exception is: business (already exists, not found, limits, conflicts, access denied,
     * invalid input) or transient (throttling, 5xx, timeouts, connection failures). The call metrics count by it too.
     */
    static Kind kindOf(Throwable e) {
        if (e instanceof EntityAlreadyExistsException || e instanceof DuplicateRecordException
                || e instanceof ResourceExistsException) {
            return Kind.ALREADY_EXISTS;
        }
        if (e instanceof NoSuchEntityException || e instanceof ResourceNotFoundException
                || e instanceof software.amazon.awssdk.services.budgets.model.NotFoundException) {
            return Kind.NOT_FOUND;
        }
        if (e instanceof LimitExceededException) {
            return Kind.LIMIT_EXCEEDED;
        }
        if (e instanceof DeleteConflictException) {
            return Kind.CONFLICT;
        }
        if (e instanceof InvalidInputException || e instanceof MalformedPolicyDocumentException) {
            return Kind.INVALID_INPUT;
        }
        if (e instanceof AwsServiceException aws) {
            if (aws.isThrottlingException() || aws.statusCode() >= 500 || RETRYABLE_CODES.contains(code(aws))) {
                return Kind.TRANSIENT;
            }
            if (aws.statusCode() == 403 || "AccessDenied".equals(code(aws))
                    || "AccessDeniedException".equals(code(aws))) {
                return Kind.ACCESS_DENIED;
            }
            return Kind.INVALID_INPUT;
        }
        return Kind.TRANSIENT;
    }

    /**
     * 4xx answers that say "not now" rather than "no": IAM's concurrent modification (two changes to one user at
     * once), a request that expired or was signed with a skewed clock or an expired session token, a time-out. Trying
     * again gets past them, so they are retried like throttling, not ended as business failures.
     */
    static final Set<String> RETRYABLE_CODES = Set.of("ConcurrentModification", "ConcurrentModificationException",
            "RequestExpired", "RequestTimeTooSkewed", "ExpiredToken", "ExpiredTokenException", "RequestTimeout",
            "RequestTimeoutException", "PriorRequestNotComplete", "IDPCommunicationError");

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private static String message(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage() : e.getMessage();
    }

    // --- IamUsers, ownership handover (issue 10, owners)

    @Override
    public void tagUser(String userName, Map<String, String> tags) {
        call("TagUser", () -> iam.tagUser(r -> r.userName(userName).tags(tags.entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList())));
    }

    // --- Budgets, per-application filter (issue 10, owners)

    /**
     * An application's budget: Bedrock AND the unit's tag AND the application's tag. CostFilters cannot say this (the
     * values of one filter key are ORed, and both tags are values of TagKeyValue), so it is a FilterExpression,
     * which AWS accepts only with Metrics and without CostFilters.
     */
    private static Budget applicationBudget(BudgetSpec spec) {
        Expression filter = Expression.builder().and(
                Expression.builder().dimensions(ExpressionDimensionValues.builder().key(Dimension.SERVICE)
                        .values(BEDROCK_SERVICE_FILTER).build()).build(),
                Expression.builder().tags(TagValues.builder().key(UNIT_TAG).values(spec.businessUnitTag()).build())
                        .build(),
                Expression.builder().tags(TagValues.builder().key(APPLICATION_TAG).values(spec.applicationTag())
                        .build()).build())
                .build();
        return Budget.builder().budgetName(spec.name()).budgetType(BudgetType.COST).timeUnit(TimeUnit.MONTHLY)
                .budgetLimit(Spend.builder().amount(spec.amountUsd()).unit("USD").build()).filterExpression(filter)
                .metrics(Metric.UNBLENDED_COST).build();
    }

    /** The value an {@code And} filter expression requires of this tag, or null. */
    private static String tagValue(Expression filter, String key) {
        return filter.and().stream().map(Expression::tags).filter(t -> t != null && key.equals(t.key())
                && t.hasValues() && !t.values().isEmpty()).map(t -> t.values().get(0)).findFirst().orElse(null);
    }
    // --- drift reconciliation (read-only operations; kept together at the end to ease merging)

    @Override
    public UserListing listUsers(String pathPrefix, int limit) {
        return call("ListUsers", () -> {
            List<IamUser> users = new ArrayList<>();
            // The paginator fetches the next page only when iterated that far: stop one user past the limit.
            var it = iam.listUsersPaginator(r -> r.pathPrefix(pathPrefix).maxItems(Math.min(limit + 1, 1000)))
                    .users().iterator();
            while (it.hasNext()) {
                User u = it.next();
                if (users.size() == limit) {
                    return new UserListing(List.copyOf(users), true);
                }
                users.add(new IamUser(u.userName(), u.arn(), u.path(), Map.of(), u.createDate()));
            }
            return new UserListing(List.copyOf(users), false);
        });
    }


    // --- Decommissioning (teardown of an application's resources): IamUsers, UserPolicies, Budgets, Secrets

    @Override
    public boolean deleteUser(String userName) {
        return gone(() -> call("DeleteUser", () -> iam.deleteUser(r -> r.userName(userName))));
    }

    @Override
    public boolean deleteUserPolicy(String userName, String policyName) {
        return gone(() -> call("DeleteUserPolicy", () -> iam.deleteUserPolicy(r -> r.userName(userName)
                .policyName(policyName))));
    }

    @Override
    public boolean deleteBudget(String budgetName) {
        return gone(() -> call("DeleteBudget", () -> budgets.deleteBudget(r -> r.accountId(account())
                .budgetName(budgetName))));
    }

    @Override
    public boolean deleteSecret(String name, java.time.Duration recoveryWindow) {
        long days = recoveryDays("DeleteSecret", recoveryWindow);
        return call("DeleteSecret", () -> {
            try {
                if (secrets.describeSecret(r -> r.secretId(name)).deletedDate() != null) {
                    return false;
                }
                secrets.deleteSecret(r -> r.secretId(name).recoveryWindowInDays(days));
                return true;
            } catch (ResourceNotFoundException e) {
                return false;
            } catch (software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException e) {
                // Scheduled for deletion by someone else between the look and the delete: done all the same.
                if (secrets.describeSecret(r -> r.secretId(name)).deletedDate() != null) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public boolean restoreSecret(String name) {
        if (!lookUp(name).orElseThrow(() -> new CloudException(Kind.NOT_FOUND, "RestoreSecret",
                "ResourceNotFoundException: Secrets Manager can't find the specified secret " + name))
                .deletionScheduled()) {
            return false;
        }
        call("RestoreSecret", () -> secrets.restoreSecret(r -> r.secretId(name)));
        return true;
    }

    /** The window in whole days, as Secrets Manager takes it (7 to 30). */
    static long recoveryDays(String operation, java.time.Duration window) {
        long days = window.toDays();
        if (!window.equals(java.time.Duration.ofDays(days)) || days < Secrets.MIN_RECOVERY_DAYS
                || days > Secrets.MAX_RECOVERY_DAYS) {
            throw new CloudException(Kind.INVALID_INPUT, operation, "RecoveryWindowInDays must be 7 to 30 whole days, "
                    + "not " + window);
        }
        return days;
    }

    /** Runs a delete; NOT_FOUND means someone (maybe an earlier attempt) deleted it already: false, not a failure. */
    private static boolean gone(Runnable delete) {
        try {
            delete.run();
            return true;
        } catch (CloudException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    // --- BudgetReadings (usage collection)

    /** {@code DescribeBudget}: the limit and {@code CalculatedSpend} (actual, forecast) of the current period. */
    @Override
    public Optional<BudgetReading> reading(String budgetName) {
        return call("DescribeBudget", () -> {
            Budget budget;
            try {
                budget = budgets.describeBudget(r -> r.accountId(account()).budgetName(budgetName)).budget();
            } catch (software.amazon.awssdk.services.budgets.model.NotFoundException e) {
                return Optional.empty();
            }
            var spend = budget.calculatedSpend();
            return Optional.of(new BudgetReading(budget.budgetName(),
                    budget.budgetLimit() == null ? null : budget.budgetLimit().amount(),
                    spend == null || spend.actualSpend() == null ? null : spend.actualSpend().amount(),
                    spend == null || spend.forecastedSpend() == null ? null : spend.forecastedSpend().amount()));
        });
    }
}
