package com.bedrockportal.shared.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %m}/{@code %msg} with secrets masked (see logback.xml). The portal's own messages also stay on one line:
 * a logged value (a name, an address, an error text) writes CR and LF as {@code \r} and {@code \n}, so it cannot
 * start a forged log line. Other libraries' messages keep their line breaks.
 */
public class MaskingMessageConverter extends MessageConverter {

    private static final String OWN_LOGGERS = "com.bedrockportal.";

    @Override
    public String convert(ILoggingEvent event) {
        String message = SecretMasking.mask(super.convert(event));
        if (message == null || event.getLoggerName() == null || !event.getLoggerName().startsWith(OWN_LOGGERS)) {
            return message;
        }
        return message.replace("\r", "\\r").replace("\n", "\\n");
    }
}
