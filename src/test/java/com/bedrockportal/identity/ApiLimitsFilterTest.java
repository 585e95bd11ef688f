package com.bedrockportal.identity;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's body limit holds for a body that declares no length (chunked) too: the reader fails at the limit, and
 * the caller gets the API's 413 problem, not what the failed parse produced.
 */
class ApiLimitsFilterTest {

    private final ApiLimitsFilter filter = new ApiLimitsFilter(new ApiProperties(true, Map.of(), List.of(), 120,
            DataSize.ofKilobytes(64), Duration.ofDays(1), 200, Duration.ofMinutes(10)), Clock.systemUTC(), e -> {
            });

    @Test
    void aStreamedBodyOverTheLimitIsRefusedWith413AndReadNoFurther() throws Exception {
        long[] read = new long[1];
        MockHttpServletResponse response = run(new byte[70 * 1024], false, read);
        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentAsString()).contains("larger than 65536 bytes");
        assertThat(read[0]).isLessThanOrEqualTo(64 * 1024 + 8192);

        MockHttpServletResponse declared = run(new byte[70 * 1024], true, read);
        assertThat(declared.getStatus()).isEqualTo(413);
        assertThat(read[0]).isZero();

        MockHttpServletResponse small = run(new byte[60 * 1024], false, read);
        assertThat(small.getStatus()).isEqualTo(200);
        assertThat(read[0]).isEqualTo(60 * 1024);
    }

    /**
     * The chain reads as the API's JSON parsing does: in blocks, and a read failure becomes a 400 problem of its own
     * (written as {@code ApiProblems} writes it: status and body, not yet sent).
     */
    private MockHttpServletResponse run(byte[] body, boolean declareLength, long[] read) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/requests") {
            @Override
            public long getContentLengthLong() {
                return declareLength ? body.length : -1;
            }
        };
        request.setContent(body);
        MockHttpServletResponse response = new MockHttpServletResponse();
        read[0] = 0;
        filter.doFilter(request, response, new MockFilterChain() {
            @Override
            public void doFilter(ServletRequest req, ServletResponse res) throws IOException {
                byte[] block = new byte[8192];
                try {
                    for (int n; (n = req.getInputStream().read(block, 0, block.length)) > 0;) {
                        read[0] += n;
                    }
                    ((HttpServletResponse) res).setStatus(200);
                } catch (IOException e) {
                    ((HttpServletResponse) res).setStatus(400);
                    res.getWriter().write("{\"title\":\"Bad Request\",\"detail\":\"Unreadable body\"}");
                }
            }
        });
        return response;
    }
}
