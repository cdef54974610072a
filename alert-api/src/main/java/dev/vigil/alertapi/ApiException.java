package dev.vigil.alertapi;

import dev.vigil.core.token.PanScanner;
import io.micronaut.http.HttpStatus;

/** A request that cannot be served as asked: carries the 4xx status and a message for the caller. */
public final class ApiException extends RuntimeException {
    private final HttpStatus status;

    /** The message is masked: it may name what the caller sent (an id, a path), which may be a PAN. */
    public ApiException(HttpStatus status, String message) {
        super(PanScanner.maskCardNumbers(message));
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, what + " not found");
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(HttpStatus.CONFLICT, message);
    }
}
