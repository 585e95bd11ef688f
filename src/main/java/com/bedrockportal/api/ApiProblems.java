package com.bedrockportal.api;

import java.net.URI;
import java.util.Map;

import com.bedrockportal.lifecycle.KeyActions;
import com.bedrockportal.shared.FieldErrors;
import com.bedrockportal.shared.Refusal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Every refusal of the REST API as an RFC 9457 problem ({@code application/problem+json}): invalid input with a
 * message per field (the same messages as the form), a role that may not, or a caller who may see the key or
 * application but is not one who may act on it (403), something that does not exist or is not the caller's to see
 * (404, the same answer for both), a state that does not allow it (409). Exception messages
 * of other kinds never reach the caller.
 */
@RestControllerAdvice(basePackageClasses = ApiProblems.class)
class ApiProblems {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);
    static final URI VALIDATION = URI.create("urn:bedrock-portal:problem:validation");
    static final URI NOT_FOUND = URI.create("urn:bedrock-portal:problem:not-found");
    static final URI CONFLICT = URI.create("urn:bedrock-portal:problem:conflict");
    static final URI FORBIDDEN = URI.create("urn:bedrock-portal:problem:forbidden");

    /** Nothing here, or not the caller's to see. */
    static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String what) {
            super(what);
        }
    }

    /** Allowed, but not possible now (or the idempotency key was used with another body). */
    static final class Conflict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Conflict(String message) {
            super(message);
        }
    }

    @ExceptionHandler(FieldErrors.class)
    ProblemDetail invalid(FieldErrors e) {
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, VALIDATION, "The request is not valid: see errors.");
        p.setProperty("errors", Map.copyOf(e.errors()));
        return p;
    }

    @ExceptionHandler({ HttpMessageNotReadableException.class, MethodArgumentTypeMismatchException.class,
            MissingRequestHeaderException.class })
    ProblemDetail unreadable(Exception e) {
        // The parser's message may quote the body: never pass it on.
        return problem(HttpStatus.BAD_REQUEST, VALIDATION, e instanceof MissingRequestHeaderException missing
                ? "The header " + missing.getHeaderName() + " is required."
                : "The request body or a parameter is malformed (JSON with the documented fields and types).");
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail forbidden(AccessDeniedException e) {
        return problem(HttpStatus.FORBIDDEN, FORBIDDEN, "Your role does not allow this call.");
    }

    @ExceptionHandler(NotFound.class)
    ProblemDetail notFound(NotFound e) {
        return problem(HttpStatus.NOT_FOUND, NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(Conflict.class)
    ProblemDetail conflict(Conflict e) {
        return problem(HttpStatus.CONFLICT, CONFLICT, e.getMessage());
    }

    /**
     * A service's refusal: 403 when the caller, who may see the key or application, is not one who may do this (its
     * owner, the unit's managers, security); 409 when nobody could now.
     */
    @ExceptionHandler(Refusal.class)
    ProblemDetail refused(Refusal e) {
        return e.notPermitted() ? problem(HttpStatus.FORBIDDEN, FORBIDDEN, e.getMessage())
                : problem(HttpStatus.CONFLICT, CONFLICT, e.getMessage());
    }

    /**
     * A write that met another's at the same moment (a unique key taken meanwhile): told to retry, which then sees
     * the other's result. (Two calls with one Idempotency-Key are told so by the requests endpoint itself.)
     */
    @ExceptionHandler(org.springframework.dao.DataIntegrityViolationException.class)
    ProblemDetail concurrent(org.springframework.dao.DataIntegrityViolationException e) {
        return problem(HttpStatus.CONFLICT, CONFLICT, "This call conflicted with another change made at the same "
                + "moment; retry it.");
    }

    @ExceptionHandler(KeyActions.CloudFailed.class)
    ProblemDetail cloud(KeyActions.CloudFailed e) {
        log.warn("API call failed in AWS: {}", e.getMessage());
        return problem(HttpStatus.BAD_GATEWAY, URI.create("urn:bedrock-portal:problem:aws"), e.getMessage());
    }

    static ProblemDetail problem(HttpStatus status, URI type, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(type);
        p.setTitle(status.getReasonPhrase());
        return p;
    }
}
