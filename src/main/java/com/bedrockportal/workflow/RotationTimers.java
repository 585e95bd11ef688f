package com.bedrockportal.workflow;

import java.util.Date;

import com.bedrockportal.lifecycle.RotationProperties;
import com.bedrockportal.lifecycle.Rotations;

import org.springframework.stereotype.Component;

/**
 * The rotation model's timers: {@code ${rotationTimers.nextCheck(rotationId)}} (the next usage check during the
 * overlap, at the latest its end) and {@code ${rotationTimers.deleteAfter}} (how long a disabled old key is kept).
 */
@Component("rotationTimers")
public class RotationTimers {
    private final Rotations rotations;
    private final RotationProperties properties;

    RotationTimers(Rotations rotations, RotationProperties properties) {
        this.rotations = rotations;
        this.properties = properties;
    }

    public Date nextCheck(Object rotationId) {
        return rotations.nextCheck(((Number) rotationId).longValue());
    }

    public String getDeleteAfter() {
        return properties.deleteAfter().toString();
    }
}
