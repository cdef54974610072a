package dev.vigil.alertapi.audit;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes one audit row for every request to the API, whatever its outcome: allowed, refused by
 * security (401/403), invalid (400) or failed, except a change that its own transaction already
 * audited. It wraps the security filter, so it sees the final status and, when there was one, the
 * authenticated user. Request bodies are never logged (they hold passwords); the resource is the
 * path with its query, whose values are tokens and filters.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
public final class AuditFilter implements HttpServerFilter {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFilter.class);
    private final AuditLog audit;

    public AuditFilter(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        String path = request.getPath();
        if (!path.startsWith("/api/") && !path.startsWith("/login")) {
            return chain.proceed(request);
        }
        return Flux.from(chain.proceed(request)).concatMap(response ->
                Mono.fromCallable(() -> {
                    write(request, response.code());
                    return response;
                }).subscribeOn(Schedulers.boundedElastic()));
    }

    private void write(HttpRequest<?> request, int status) {
        boolean succeeded = status < 400;
        if (succeeded && request.getAttribute(AuditLog.AUDITED_IN_TRANSACTION, Boolean.class).orElse(false)) {
            return; // its change already wrote the row, in the same transaction
        }
        try {
            audit.record(request, status);
        } catch (RuntimeException e) {
            LOG.error("Audit row not written for {} {}: {}", request.getMethodName(), AuditLog.resource(request),
                    e.getMessage());
            throw e;
        }
    }
}
