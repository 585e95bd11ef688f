package com.bedrockportal.shared;

import com.bedrockportal.shared.logging.SecretMasking;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class SecretMaskingTest {

    /** Made at run time: no credential-shaped literal is ever committed. */
    static final String KEY = "ABSK" + "QmVkcm9ja0FQSUtleS1" + "x".repeat(60);
    static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCY".repeat(2) + "EX";

    @Test
    void bedrockKeysKeepOnlyTheirFirstTwelveCharacters() {
        assertThat(SecretMasking.mask("key=" + KEY + " done")).isEqualTo("key=" + KEY.substring(0, 12) + "…[masked] done");
        assertThat(SecretMasking.mask("token bedrock-api-key-" + "YmVkcm9jay5hbWF6b25hd3MuY29t")).doesNotContain("YmVkcm9ja");
    }

    @Test
    void awsSecretAccessKeysAreMasked() {
        assertThat(AWS_SECRET).hasSize(40);
        assertThat(SecretMasking.mask("aws_secret_access_key=" + AWS_SECRET)).doesNotContain(AWS_SECRET);
        assertThat(SecretMasking.mask("{\"SecretAccessKey\": \"" + AWS_SECRET + "\"}")).doesNotContain(AWS_SECRET);
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        assertThat(SecretMasking.mask("Provisioning of request 7: BUDGET done")).isEqualTo(
                "Provisioning of request 7: BUDGET done");
    }

    @Test
    void theLogOutputMasksMessagesAndStackTraces(CapturedOutput output) {
        var log = LoggerFactory.getLogger("leak-check");
        log.warn("calling Bedrock with {}", KEY);
        log.error("failed", new IllegalStateException("response contained " + KEY));
        assertThat(output.getAll()).doesNotContain(KEY).contains(KEY.substring(0, 12) + "…[masked]");
    }

    @Test
    void thePortalsOwnMessagesCannotStartAForgedLogLine(CapturedOutput output) {
        LoggerFactory.getLogger("com.bedrockportal.crlf-check").info("mail to {}", "a@example.com\r\nINFO forged");
        assertThat(output.getAll()).contains("mail to a@example.com\\r\\nINFO forged")
                .doesNotContain("a@example.com\r\n");
    }
}
