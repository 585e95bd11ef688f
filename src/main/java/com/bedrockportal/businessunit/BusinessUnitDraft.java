package com.bedrockportal.businessunit;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What an admin edits: a new unit, or changes to an existing one (then {@code id} and {@code version} are set), with
 * its field rules (messages: keys of the translation bundle). A unique slug is the service's rule.
 *
 * <p>The slug names AWS resources: IAM user {@code {slug}-bedrock-user} (IAM: at most 64 characters of
 * {@code [A-Za-z0-9+=,.@_-]}), budget {@code {slug}-bedrock-monthly}, secret {@code {slug}/bedrock/api-key} — so it is
 * kept to lowercase letters, digits, '.', '_' and '-'.
 */
public class BusinessUnitDraft {

    /** 64 - "-bedrock-user".length(): the IAM user's name may have at most 64 characters. */
    public static final int SLUG_MAX = 51;
    /**
     * A new unit's slug: at most 32, so that its applications' IAM users {@code {unit}-{app}-bedrock} (at most 64)
     * leave 23 characters or more to the application's slug. Units made before applications keep theirs (up to 51).
     */
    public static final int NEW_SLUG_MAX = 32;
    public static final String SLUG = "^[a-z0-9](?:[a-z0-9._-]{0," + (SLUG_MAX - 2) + "}[a-z0-9])?$";
    public static final int DISPLAY_NAME_MAX = 120;
    public static final int COST_CENTER_MAX = 64;
    public static final int EMAIL_MAX = 320;
    public static final int MAX_MANAGERS = 50;
    public static final int MAX_MEMBERS = 500;
    static final String USERNAME = "^[A-Za-z0-9._@+-]{1,128}$";
    /** A pragmatic address check: one @, a dot in the domain, no spaces or angle brackets. */
    static final String EMAIL = "^[^\\s@<>\"]{1,64}@[^\\s@<>\"]+\\.[^\\s@<>\"]{2,}$";
    /** AWS tag values: letters, digits, spaces and _ . : / = + - @ (the cost center becomes a tag). */
    static final String TAG_VALUE = "^[\\p{L}\\p{N} _.:/=+@-]+$";

    private Long id;
    private int version;

    @NotBlank(message = "{bu.slug.required}")
    @Size(max = SLUG_MAX, message = "{bu.slug.long}")
    @Pattern(regexp = SLUG, message = "{bu.slug.pattern}")
    private String slug = "";

    @NotBlank(message = "{bu.displayName.required}")
    @Size(max = DISPLAY_NAME_MAX, message = "{bu.displayName.long}")
    private String displayName = "";

    @NotBlank(message = "{bu.costCenter.required}")
    @Size(max = COST_CENTER_MAX, message = "{bu.costCenter.long}")
    @Pattern(regexp = TAG_VALUE, message = "{bu.costCenter.pattern}")
    private String costCenter = "";

    @NotBlank(message = "{bu.ownerEmail.required}")
    @Size(max = EMAIL_MAX, message = "{bu.ownerEmail.invalid}")
    @Pattern(regexp = EMAIL, message = "{bu.ownerEmail.invalid}")
    private String ownerEmail = "";

    @NotNull(message = "{bu.budget.required}")
    @DecimalMin(value = "0", inclusive = false, message = "{bu.budget.positive}")
    @DecimalMax(value = "1000000", message = "{bu.budget.max}")
    @Digits(integer = 7, fraction = 2, message = "{bu.budget.cents}")
    private BigDecimal defaultMonthlyBudget;

    @NotEmpty(message = "{bu.managers.required}")
    @Size(max = MAX_MANAGERS, message = "{bu.people.tooMany}")
    private Set<@Pattern(regexp = USERNAME, message = "{bu.people.invalid}") String> managers = new LinkedHashSet<>();

    @Size(max = MAX_MEMBERS, message = "{bu.people.tooMany}")
    private Set<@Pattern(regexp = USERNAME, message = "{bu.people.invalid}") String> members = new LinkedHashSet<>();

    /** The default scheduled rotation of the unit's applications (one of the five choices; OFF: none). */
    @NotNull(message = "{bu.rotateEvery.required}")
    private RotateEvery rotateEvery = RotateEvery.UNIT_DEFAULT;

    public static BusinessUnitDraft of(BusinessUnit unit) {
        BusinessUnitDraft d = new BusinessUnitDraft();
        d.id = unit.id();
        d.version = unit.version();
        d.slug = unit.slug();
        d.displayName = unit.displayName();
        d.costCenter = unit.costCenter();
        d.ownerEmail = unit.ownerEmail();
        d.defaultMonthlyBudget = unit.defaultMonthlyBudget();
        d.managers = new LinkedHashSet<>(unit.managers());
        d.members = new LinkedHashSet<>(unit.members());
        d.rotateEvery = unit.rotateEvery();
        return d;
    }

    public Long getId() { return id; }
    public int getVersion() { return version; }
    public String getSlug() { return slug; }
    public void setSlug(String slug) { this.slug = slug; }
    public String getDisplayName() { return displayName; }
    public void setDisplayName(String displayName) { this.displayName = displayName; }
    public String getCostCenter() { return costCenter; }
    public void setCostCenter(String costCenter) { this.costCenter = costCenter; }
    public String getOwnerEmail() { return ownerEmail; }
    public void setOwnerEmail(String ownerEmail) { this.ownerEmail = ownerEmail; }
    public BigDecimal getDefaultMonthlyBudget() { return defaultMonthlyBudget; }
    public void setDefaultMonthlyBudget(BigDecimal v) { this.defaultMonthlyBudget = v; }
    public Set<String> getManagers() { return managers; }
    public void setManagers(Collection<String> managers) { this.managers = managers == null ? new LinkedHashSet<>() : new LinkedHashSet<>(managers); }
    public Set<String> getMembers() { return members; }
    public void setMembers(Collection<String> members) { this.members = members == null ? new LinkedHashSet<>() : new LinkedHashSet<>(members); }
    public RotateEvery getRotateEvery() { return rotateEvery; }
    public void setRotateEvery(RotateEvery rotateEvery) { this.rotateEvery = rotateEvery; }
}
