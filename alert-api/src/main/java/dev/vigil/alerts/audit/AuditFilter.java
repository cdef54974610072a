package dev.vigil.alerts.audit;

import dev.vigil.core.token.PanScanner;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.SecurityFilter;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes one audit row for every request to the API, whatever its outcome: allowed, refused by
 * security (401/403), invalid (400) or failed. It wraps the security filter, so it sees the final
 * status and, when there was one, the authenticated user. Request bodies are never logged (they
 * hold passwords); the resource is the path with its query, whose values are tokens and filters.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
public final class AuditFilter implements HttpServerFilter {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFilter.class);
    private static final int MAX_RESOURCE = 512;
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
        if (!path.startsWith("/api/") && !path.equals("/login")) {
            return chain.proceed(request);
        }
        return Flux.from(chain.proceed(request)).concatMap(response ->
                Mono.fromCallable(() -> {
                    write(request, response.code());
                    return response;
                }).subscribeOn(Schedulers.boundedElastic()));
    }

    /**
     * The resource as it is kept: percent-decoded (so {@code 4111%201111...} is seen as the digits it
     * is), with every card number in it masked by core's scanner; an id's other digits stay readable.
     * A PAN typed into a path or a filter is refused by the endpoint, but the append-only audit log
     * would otherwise keep it for ever.
     */
    static String masked(String resource) {
        String decoded;
        try {
            decoded = URLDecoder.decode(resource, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = resource; // a malformed escape: mask the raw text
        }
        return PanScanner.maskCardNumbers(decoded);
    }

    private void write(HttpRequest<?> request, int status) {
        String user = request.getAttribute(SecurityFilter.AUTHENTICATION, Authentication.class)
                .map(Authentication::getName).orElse("anonymous");
        String query = request.getUri().getRawQuery();
        String resource = masked(query == null ? request.getPath() : request.getPath() + "?" + query);
        if (resource.length() > MAX_RESOURCE) {
            resource = resource.substring(0, MAX_RESOURCE) + "...";
        }
        try {
            audit.record(user, request.getMethodName(), resource, status, null);
        } catch (RuntimeException e) {
            LOG.error("Audit row not written for {} {} by {}: {}", request.getMethodName(), resource, user,
                    e.getMessage());
            throw e;
        }
    }
}
