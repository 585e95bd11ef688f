package com.bedrockportal.request;

/**
 * Whether a request's provisioning is held up by an incident (a step that ran out of retries). The workflow module
 * knows and answers; the request module asks, so that requesters read "delayed" instead of "provisioning".
 */
public interface ProvisioningDelays {

    boolean delayed(long requestId);
}
