package com.bedrockportal.shared;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Whether this node may generate a missing key file ({@link KeyFileProperties}), decided once from the setting and the
 * database the node runs on: the sealing master key and the audit chain key ask the same question.
 */
@Component
public class KeyFiles {

    private final boolean mayGenerate;

    KeyFiles(KeyFileProperties properties, @Value("${spring.datasource.url:}") String databaseUrl) {
        this.mayGenerate = properties.mayGenerate(databaseUrl);
    }

    /** Whether a missing key file is generated (else the start fails naming the key's settings). */
    public boolean mayGenerate() {
        return mayGenerate;
    }
}
