package dev.vigil.alertapi.security;

import dev.vigil.alertapi.ApiErrors;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.SecurityFilter;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.Set;

/**
 * After the security filter has accepted a token, checks that its session still stands
 * ({@link Sessions}): 401 when it has ended, 403 when the user must first change the password, on
 * every API path except the ones that change it.
 */
@Filter("/api/**")
final class SessionFilter implements HttpServerFilter {
    private static final Set<String> WHILE_PASSWORD_MUST_CHANGE = Set.of("/api/me", "/api/me/password",
            "/api/me/logout");
    private final Sessions sessions;

    SessionFilter(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        var auth = request.getAttribute(SecurityFilter.AUTHENTICATION, Authentication.class);
        if (auth.isEmpty()) {
            return chain.proceed(request);
        }
        return Mono.fromCallable(() -> sessions.touch(auth.get()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(verdict -> switch (verdict) {
                    case VALID -> chain.proceed(request);
                    case ENDED -> refuse(HttpStatus.UNAUTHORIZED, "the session has ended: log in again");
                    case PASSWORD_CHANGE_REQUIRED -> WHILE_PASSWORD_MUST_CHANGE.contains(request.getPath())
                            ? chain.proceed(request)
                            : refuse(HttpStatus.FORBIDDEN, "change your password first: POST /api/me/password");
                });
    }

    private static Publisher<MutableHttpResponse<?>> refuse(HttpStatus status, String message) {
        return Flux.just(HttpResponse.status(status).body(new ApiErrors.Message(message)));
    }
}
