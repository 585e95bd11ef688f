package com.bedrockportal.shared;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import jakarta.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class WebHardeningTest {

    private final WebHardening.RequestSizeLimitFilter filter = new WebHardening.RequestSizeLimitFilter(1024);

    @Test
    void aBodyOverTheLimitIsRefusedWhetherDeclaredOrStreamed() throws Exception {
        MockHttpServletResponse declared = run(new byte[2048], true);
        assertThat(declared.getStatus()).isEqualTo(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        MockHttpServletResponse streamed = run(new byte[2048], false);
        assertThat(streamed.getStatus()).isEqualTo(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        MockHttpServletResponse small = run(new byte[1000], false);
        assertThat(small.getStatus()).isEqualTo(200);
    }

    /** Vaadin reads its messages through getReader: held to the same limit. */
    @Test
    void aStreamedBodyReadAsTextIsHeldToTheLimitToo() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/") {
            @Override
            public long getContentLengthLong() {
                return -1;
            }
        };
        request.setContent(new byte[4096]);
        request.setCharacterEncoding("UTF-8");
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setHeader("X-Content-Type-Options", "nosniff");
        filter.doFilter(request, response, new MockFilterChain() {
            @Override
            public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res) {
                try {
                    req.getReader().lines().count();
                    res.getWriter().write("read it all");
                } catch (java.io.IOException | java.io.UncheckedIOException e) {
                    ((jakarta.servlet.http.HttpServletResponse) res).setStatus(400);
                }
            }
        });
        assertThat(response.getStatus()).isEqualTo(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    private MockHttpServletResponse run(byte[] body, boolean declareLength) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/") {
            @Override
            public long getContentLengthLong() {
                return declareLength ? body.length : -1;
            }
        };
        request.setContent(body);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain() {
            @Override
            public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res)
                    throws java.io.IOException {
                req.getInputStream().readAllBytes();
            }
        });
        return response;
    }

    @Test
    void theEmbeddedDatabaseFolderBecomesOwnerOnly(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path db = Files.createFile(data.resolve("portal.mv.db"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));

        Path folder = DataFolder.ofH2Url("jdbc:h2:file:" + data.resolve("portal") + ";DB_CLOSE_ON_EXIT=FALSE");
        assertThat(folder).isEqualTo(data.toAbsolutePath());
        DataFolder.secure(folder);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db))).isEqualTo("rw-------");
        assertThat(DataFolder.ofH2Url("jdbc:postgresql://db/portal")).isNull();
        assertThat(DataFolder.ofH2Url("jdbc:h2:mem:x")).isNull();
    }
}
