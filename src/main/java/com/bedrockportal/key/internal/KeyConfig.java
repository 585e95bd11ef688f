package com.bedrockportal.key.internal;

import com.bedrockportal.key.KeyWrapper;
import com.bedrockportal.shared.KeyFiles;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class KeyConfig {

    /**
     * AWS KMS when a {@link KeyWrapper} is configured (aws mode with {@code portal.sealing.kms-key-id}), otherwise
     * the local master key (generated only where {@code portal.key-files.generate}); fails start-up with a clear message when a configured master key is malformed.
     */
    @Bean
    SecretSealer secretSealer(SealingProperties properties, KeyFiles keyFiles, ObjectProvider<KeyWrapper> kms) {
        KeyWrapper wrapper = kms.getIfAvailable();
        return wrapper != null ? new SecretSealer(wrapper) : SecretSealer.from(properties, keyFiles.mayGenerate());
    }
}
