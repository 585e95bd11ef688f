package com.bedrockportal.request;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * What the requester fills in. {@code submissionKey} is fixed when the form opens, so submitting the same form twice
 * creates one request.
 */
public class RequestDraft {

    private String submissionKey = UUID.randomUUID().toString();
    private Long businessUnitId;
    private String purpose = "";
    private List<String> models = new ArrayList<>();
    private List<String> regions = new ArrayList<>();
    private String sourceCidrs = "";
    private Integer lifetimeDays;
    private BigDecimal monthlyBudget;
    private Integer alertThreshold = 80;
    private String alertEmails = "";
    private boolean storeSecret;
    private String ownerEmail = "";
    private DataClassification dataClassification = DataClassification.INTERNAL;

    public String getSubmissionKey() { return submissionKey; }
    public void setSubmissionKey(String submissionKey) { this.submissionKey = submissionKey; }
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
    public boolean isStoreSecret() { return storeSecret; }
    public void setStoreSecret(boolean storeSecret) { this.storeSecret = storeSecret; }
    public String getOwnerEmail() { return ownerEmail; }
    public void setOwnerEmail(String ownerEmail) { this.ownerEmail = ownerEmail; }
    public DataClassification getDataClassification() { return dataClassification; }
    public void setDataClassification(DataClassification dataClassification) { this.dataClassification = dataClassification; }
}
