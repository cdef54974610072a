package dev.vigil.alertapi;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

/** Turns {@link ApiException} into its status with a JSON body {@code {"message": ...}}. */
@Produces
@Singleton
@Requires(classes = {ApiException.class, ExceptionHandler.class})
public final class ApiErrors implements ExceptionHandler<ApiException, HttpResponse<ApiErrors.Message>> {

    @Serdeable
    public record Message(String message) {
    }

    @Override
    public HttpResponse<Message> handle(HttpRequest request, ApiException e) {
        return HttpResponse.<Message>status(e.status()).body(new Message(e.getMessage()));
    }
}
