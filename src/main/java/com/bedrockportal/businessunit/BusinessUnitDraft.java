package com.bedrockportal.businessunit;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Set;

/** What an admin edits: a new unit, or changes to an existing one (then {@code id} and {@code version} are set). */
public class BusinessUnitDraft {

    private Long id;
    private int version;
    private String slug = "";
    private String displayName = "";
    private String costCenter = "";
    private String ownerEmail = "";
    private BigDecimal defaultMonthlyBudget;
    private Set<String> managers = new LinkedHashSet<>();
    private Set<String> members = new LinkedHashSet<>();

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
    public void setManagers(java.util.Collection<String> managers) { this.managers = managers == null ? new LinkedHashSet<>() : new LinkedHashSet<>(managers); }
    public Set<String> getMembers() { return members; }
    public void setMembers(java.util.Collection<String> members) { this.members = members == null ? new LinkedHashSet<>() : new LinkedHashSet<>(members); }
}
