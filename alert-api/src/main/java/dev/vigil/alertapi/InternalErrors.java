package dev.vigil.alertapi;

import dev.vigil.core.token.PanScanner;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Any failure no other handler claims: the caller gets a 500 with a reference and nothing else, the
 * log gets the reference with the whole stack trace (card numbers masked). Without this, Micronaut's
 * default body carries the exception's message, which for a database error is PostgreSQL's own text.
 * The specific handlers (ApiException, validation, security, malformed JSON) are chosen first, as
 * they handle narrower types.
 */
@Produces
@Singleton
@Requires(classes = ExceptionHandler.class)
public final class InternalErrors implements ExceptionHandler<RuntimeException, HttpResponse<ApiErrors.Message>> {
    private static final Logger LOG = LoggerFactory.getLogger(InternalErrors.class);

    @Override
    public HttpResponse<ApiErrors.Message> handle(HttpRequest request, RuntimeException e) {
        String reference = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        LOG.error("internal error, reference {}, on {} {}:\n{}", reference, request.getMethodName(),
                PanScanner.maskCardNumbers(request.getPath()), PanScanner.maskCardNumbers(trace.toString()));
        return HttpResponse.<ApiErrors.Message>status(HttpStatus.INTERNAL_SERVER_ERROR)
                .body(new ApiErrors.Message("internal error; reference " + reference));
    }
}
