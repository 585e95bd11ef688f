package com.bedrockportal.request;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import com.bedrockportal.application.ApplicationNames;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What the requester fills in, with its field rules (messages: keys of the translation bundle). Rules that depend on
 * data or settings — the user's units, the model catalog, the offered regions and limits, parsing the ranges and
 * addresses — are {@link RequestRules}. {@code submissionKey} is fixed when the form opens, so submitting the same form
 * twice creates one request.
 */
public class RequestDraft {

    public static final int APPLICATION_NAME_MAX = 120;
    public static final int PURPOSE_MIN = 20;
    public static final int PURPOSE_MAX = 2000;
    /** Most models one request may name: checked before any look-up. */
    public static final int MAX_MODELS = 50;
    public static final int MODEL_ID_MAX = 200;
    public static final int REGION_MAX = 32;
    public static final int EMAIL_MAX = 320;
    public static final int MAX_ALERT_EMAILS = 10;
    /** Ten addresses of the longest kind, each with a separator and a space. */
    public static final int ALERT_EMAILS_TEXT_MAX = MAX_ALERT_EMAILS * (EMAIL_MAX + 2);
    public static final int SUBMISSION_KEY_MAX = 64;
    /** Longest text of one source-IP range (IPv6 with prefix: 43); their count is a setting. */
    public static final int CIDR_TEXT_MAX = 50;
    /** A pragmatic address check: one @, a dot in the domain, no spaces, brackets, quotes or list separators. */
    public static final String EMAIL = "^[^\\s@<>\"(),;]{1,64}@[^\\s@<>\"(),;]+\\.[^\\s@<>\"(),;]{2,}$";
    /** Longest guardrail ARN accepted (AWS's own are far shorter). */
    public static final int GUARDRAIL_MAX = 200;
    /**
     * A Bedrock guardrail's ARN, optionally with its numeric version or DRAFT, as the policy condition
     * {@code bedrock:GuardrailIdentifier} compares it.
     */
    public static final String GUARDRAIL_ARN = "^arn:aws[a-z-]{0,16}:bedrock:[a-z0-9-]{1,25}:\\d{12}:guardrail/"
            + "[a-z0-9]{1,64}(:(\\d{1,8}|DRAFT))?$";
    /** Caps of the expected volume the cost estimate works from. */
    public static final int MAX_REQUESTS_PER_DAY = 10_000_000;
    public static final int MAX_TOKENS_PER_REQUEST = 1_000_000;
    /** Anything but control characters; line breaks and tabs are fine. */
    static final String NO_CONTROL_CHARACTERS = "[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*";

    @NotBlank(message = "{request.form.invalid}")
    @Size(max = SUBMISSION_KEY_MAX, message = "{request.form.invalid}")
    private String submissionKey = UUID.randomUUID().toString();

    @NotNull(message = "{request.unit.required}")
    private Long businessUnitId;

    /** A new application, or a change to {@link #applicationId} (one of the unit's). */
    @NotNull(message = "{request.kind.required}")
    private AccessRequest.Kind kind = AccessRequest.Kind.NEW;

    /** The application a change is for; the form fills name and slug from it (checked again by {@link RequestRules}). */
    private Long applicationId;

    /** A change issues a new key only when asked (a new application always gets one). */
    private boolean newKey;

    /** The new application's name as people read it (a change: the application's, filled in by the form). */
    @NotBlank(message = "{request.app.name.required}")
    @Size(max = APPLICATION_NAME_MAX, message = "{request.app.name.long}")
    @Pattern(regexp = NO_CONTROL_CHARACTERS, message = "{request.app.name.control}")
    private String applicationName = "";

    /**
     * The new application's slug, part of its AWS names; how long it may be depends on the unit's slug
     * ({@link ApplicationNames#maxSlugLength}): {@link RequestRules}.
     */
    @NotBlank(message = "{request.app.slug.required}")
    @Size(max = ApplicationNames.SLUG_MAX, message = "{request.app.slug.long}")
    @Pattern(regexp = ApplicationNames.SLUG, message = "{request.app.slug.pattern}")
    private String applicationSlug = "";

    @NotBlank(message = "{request.purpose.required}")
    @Size(min = PURPOSE_MIN, message = "{request.purpose.short}")
    @Size(max = PURPOSE_MAX, message = "{request.purpose.long}")
    @Pattern(regexp = NO_CONTROL_CHARACTERS, message = "{request.purpose.control}")
    private String purpose = "";

    @NotEmpty(message = "{request.models.required}")
    @Size(max = MAX_MODELS, message = "{request.models.tooMany}")
    private List<@NotBlank(message = "{request.models.unknown}")
            @Size(max = MODEL_ID_MAX, message = "{request.models.unknown}") String> models = new ArrayList<>();

    /** How many regions at most is a setting ({@link RequestProperties#regions()}): {@link RequestRules}. */
    @NotEmpty(message = "{request.regions.required}")
    private List<@NotBlank(message = "{request.regions.unknown}")
            @Size(max = REGION_MAX, message = "{request.regions.unknown}") String> regions = new ArrayList<>();

    /** Length and count caps depend on {@link RequestProperties#maxSourceCidrs()}: {@link RequestRules}. */
    private String sourceCidrs = "";

    /** The longest lifetime is a setting ({@link RequestProperties#maxLifetimeDays()}): {@link RequestRules}. */
    @NotNull(message = "{request.lifetime.required}")
    @Min(value = 1, message = "{request.lifetime.min}")
    private Integer lifetimeDays;

    /** The largest budget is a setting ({@link RequestProperties#maxMonthlyBudget()}): {@link RequestRules}. */
    @NotNull(message = "{request.budget.required}")
    @DecimalMin(value = "0", inclusive = false, message = "{request.budget.positive}")
    @Digits(integer = 20, fraction = 2, message = "{request.budget.cents}")
    private BigDecimal monthlyBudget;

    @NotNull(message = "{request.threshold.range}")
    @Min(value = 1, message = "{request.threshold.range}")
    @Max(value = 100, message = "{request.threshold.range}")
    private Integer alertThreshold = 80;

    /** Each address and their count: {@link RequestRules}, after this cap on the text. */
    @NotBlank(message = "{request.alertEmails.required}")
    @Size(max = ALERT_EMAILS_TEXT_MAX, message = "{request.alertEmails.tooLong}")
    private String alertEmails = "";

    private boolean storeSecret;

    /** 12-hour keys: the new application gets an IAM role and keys on demand instead of a long-term key. */
    private boolean shortTermOnly;

    @NotBlank(message = "{request.owner.required}")
    @Size(max = EMAIL_MAX, message = "{request.owner.invalid}")
    @Pattern(regexp = EMAIL, message = "{request.owner.invalid}")
    private String ownerEmail = "";

    @NotNull(message = "{request.classification.required}")
    private DataClassification dataClassification = DataClassification.INTERNAL;

    /** Optional: the guardrail every inference call must carry (the policy then requires it). */
    @Size(max = GUARDRAIL_MAX, message = "{request.guardrail.long}")
    @Pattern(regexp = "^$|" + GUARDRAIL_ARN, message = "{request.guardrail.pattern}")
    private String guardrailArn = "";

    /** Expected volume (optional; all three for an estimate). */
    @Min(value = 0, message = "{request.volume.requests.range}")
    @Max(value = MAX_REQUESTS_PER_DAY, message = "{request.volume.requests.range}")
    private Integer requestsPerDay;

    @Min(value = 0, message = "{request.volume.tokens.range}")
    @Max(value = MAX_TOKENS_PER_REQUEST, message = "{request.volume.tokens.range}")
    private Integer inputTokensPerRequest;

    @Min(value = 0, message = "{request.volume.tokens.range}")
    @Max(value = MAX_TOKENS_PER_REQUEST, message = "{request.volume.tokens.range}")
    private Integer outputTokensPerRequest;

    public String getGuardrailArn() { return guardrailArn; }
    public void setGuardrailArn(String guardrailArn) { this.guardrailArn = guardrailArn; }
    public Integer getRequestsPerDay() { return requestsPerDay; }
    public void setRequestsPerDay(Integer requestsPerDay) { this.requestsPerDay = requestsPerDay; }
    public Integer getInputTokensPerRequest() { return inputTokensPerRequest; }
    public void setInputTokensPerRequest(Integer v) { this.inputTokensPerRequest = v; }
    public Integer getOutputTokensPerRequest() { return outputTokensPerRequest; }
    public void setOutputTokensPerRequest(Integer v) { this.outputTokensPerRequest = v; }

    public String getSubmissionKey() { return submissionKey; }
    public void setSubmissionKey(String submissionKey) { this.submissionKey = submissionKey; }
    public AccessRequest.Kind getKind() { return kind; }
    public void setKind(AccessRequest.Kind kind) { this.kind = kind; }
    public Long getApplicationId() { return applicationId; }
    public void setApplicationId(Long applicationId) { this.applicationId = applicationId; }
    public boolean isNewKey() { return newKey; }
    public void setNewKey(boolean newKey) { this.newKey = newKey; }
    public boolean isChange() { return kind == AccessRequest.Kind.CHANGE; }
    public Long getBusinessUnitId() { return businessUnitId; }
    public void setBusinessUnitId(Long businessUnitId) { this.businessUnitId = businessUnitId; }
    public String getPurpose() { return purpose; }
    public void setPurpose(String purpose) { this.purpose = purpose; }
    public List<String> getModels() { return models; }
    public void setModels(Collection<String> models) { this.models = models == null ? new ArrayList<>() : new ArrayList<>(models); }
    public List<String> getRegions() { return regions; }
    public void setRegions(Collection<String> regions) { this.regions = regions == null ? new ArrayList<>() : new ArrayList<>(regions); }
    /** Comma, space or newline separated. */
    public String getSourceCidrs() { return sourceCidrs; }
    public void setSourceCidrs(String sourceCidrs) { this.sourceCidrs = sourceCidrs; }
    public Integer getLifetimeDays() { return lifetimeDays; }
    public void setLifetimeDays(Integer lifetimeDays) { this.lifetimeDays = lifetimeDays; }
    public BigDecimal getMonthlyBudget() { return monthlyBudget; }
    public void setMonthlyBudget(BigDecimal monthlyBudget) { this.monthlyBudget = monthlyBudget; }
    public Integer getAlertThreshold() { return alertThreshold; }
    public void setAlertThreshold(Integer alertThreshold) { this.alertThreshold = alertThreshold; }
    /** Comma, space or newline separated. */
    public String getAlertEmails() { return alertEmails; }
    public void setAlertEmails(String alertEmails) { this.alertEmails = alertEmails; }
    public boolean isShortTermOnly() { return shortTermOnly; }
    public void setShortTermOnly(boolean shortTermOnly) { this.shortTermOnly = shortTermOnly; }
    public boolean isStoreSecret() { return storeSecret; }
    public void setStoreSecret(boolean storeSecret) { this.storeSecret = storeSecret; }
    public String getOwnerEmail() { return ownerEmail; }
    public void setOwnerEmail(String ownerEmail) { this.ownerEmail = ownerEmail; }
    public String getApplicationName() { return applicationName; }
    public void setApplicationName(String applicationName) { this.applicationName = applicationName; }
    public String getApplicationSlug() { return applicationSlug; }
    public void setApplicationSlug(String applicationSlug) { this.applicationSlug = applicationSlug; }
    public DataClassification getDataClassification() { return dataClassification; }
    public void setDataClassification(DataClassification dataClassification) { this.dataClassification = dataClassification; }
}
