/**
 * Masking of secrets: in every log line (the converters) and, through {@link
 * com.bedrockportal.shared.logging.SecretMasking}, in any text a module hands out as a second line of defence
 * (evidence packs).
 */
@org.springframework.modulith.NamedInterface("logging")
package com.bedrockportal.shared.logging;
