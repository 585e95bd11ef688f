package com.bedrockportal.request;

/** The data classification tag of a request: what data will be sent to the models. */
public enum DataClassification {
    PUBLIC, INTERNAL, CONFIDENTIAL;

    public String tagValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
