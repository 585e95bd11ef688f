package com.bedrockportal.evidence;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The JSON twin of a pack: the same model the PDF shows, field by field, times as ISO-8601 instants. */
final class EvidenceJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).build();

    private EvidenceJson() {
    }

    static void write(Object pack, OutputStream out) throws IOException {
        MAPPER.writeValue(out, pack);
    }
}
