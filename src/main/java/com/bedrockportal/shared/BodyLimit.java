package com.bedrockportal.shared;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A request body's size limit, for every request ({@code portal.http.max-request-size}) and the REST API's own
 * ({@code portal.api.max-body}): one piece, so a body that declares no length (chunked) is held to the same limit.
 */
public final class BodyLimit {

    private BodyLimit() {
    }

    /** How a filter answers a body over its limit. */
    @FunctionalInterface
    public interface TooLargeAnswer {
        void answer(HttpServletResponse response) throws IOException;
    }

    /**
     * Runs the rest of the chain with the request body limited to {@code max} bytes: a declared length over it is
     * answered at once, unread; a body without a declared length (chunked) fails its reader past the limit, and the
     * answer replaces whatever the reader's failure produced (a parser's 400), unless that was sent already.
     */
    public static void limit(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
            long max, TooLargeAnswer tooLarge) throws ServletException, IOException {
        if (request.getContentLengthLong() > max) {
            tooLarge.answer(response);
            return;
        }
        Limited[] limited = new Limited[1];
        try {
            chain.doFilter(new HttpServletRequestWrapper(request) {
                private BufferedReader reader;

                @Override
                public ServletInputStream getInputStream() throws IOException {
                    if (limited[0] == null) {
                        limited[0] = new Limited(super.getInputStream(), max);
                    }
                    return limited[0];
                }

                /** Vaadin reads its messages as text: the same limited stream, in the request's encoding. */
                @Override
                public BufferedReader getReader() throws IOException {
                    if (reader == null) {
                        reader = reader(this, getInputStream());
                    }
                    return reader;
                }
            }, response);
        } catch (TooLarge e) {
            // Answered below.
        }
        if (limited[0] != null && limited[0].exceeded && !response.isCommitted()) {
            response.resetBuffer(); // the body only: the security headers set before the chain stay
            tooLarge.answer(response);
        }
    }

    /** A request wrapper's reader over its own stream, in the request's encoding (UTF-8 when it names none). */
    public static BufferedReader reader(jakarta.servlet.ServletRequest request, java.io.InputStream in) {
        String encoding = request.getCharacterEncoding();
        return new BufferedReader(new InputStreamReader(in,
                encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
    }

    static final class TooLarge extends IOException {
        TooLarge() {
            super("request body larger than the limit");
        }
    }

    /** Counts what is read and fails past the limit (a body without Content-Length). */
    static final class Limited extends ServletInputStream {
        private final ServletInputStream in;
        private final long max;
        private long read;
        private boolean exceeded;

        Limited(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(long n) throws TooLarge {
            read += n;
            if (read > max) {
                exceeded = true;
                throw new TooLarge();
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
