package dev.vigil.alertapi.security;

import dev.vigil.alertapi.ApiErrors;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.http.server.util.HttpClientAddressResolver;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * What stands between {@code /login} and a flood. Each client address gets a bucket of attempts that
 * refills at the configured rate per minute (429 when empty), and only so many logins run at once
 * (503 beyond that): each one hashes with PBKDF2, which is meant to be slow, so without a bound a few
 * hundred requests take every core. Per-account lockout is the other half ({@link LoginProvider}).
 */
@Filter("/login/**")
final class LoginGate implements HttpServerFilter {
    private final HttpClientAddressResolver clients;
    private final int perMinute;
    private final Semaphore running;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** Attempts left and when they were counted; refilled lazily on the next attempt. */
    private static final class Bucket {
        double tokens;
        long atMs;

        Bucket(double tokens, long atMs) {
            this.tokens = tokens;
            this.atMs = atMs;
        }
    }

    LoginGate(HttpClientAddressResolver clients,
              @Value("${vigil.api.login.attempts-per-minute:10}") int perMinute,
              @Value("${vigil.api.login.concurrent:2}") int concurrent) {
        this.clients = clients;
        this.perMinute = perMinute;
        this.running = new Semaphore(concurrent);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (!take(String.valueOf(clients.resolve(request)), System.currentTimeMillis())) {
            return refuse(HttpStatus.TOO_MANY_REQUESTS, "60", "too many login attempts from this address: wait a minute");
        }
        if (!running.tryAcquire()) {
            return refuse(HttpStatus.SERVICE_UNAVAILABLE, "1", "too many logins at once: try again in a moment");
        }
        return Flux.from(chain.proceed(request)).doFinally(signal -> running.release());
    }

    private boolean take(String client, long now) {
        if (buckets.size() > 10_000) {
            buckets.values().removeIf(b -> now - b.atMs > 60_000); // full again by now
        }
        Bucket b = buckets.computeIfAbsent(client, c -> new Bucket(perMinute, now));
        synchronized (b) {
            b.tokens = Math.min(perMinute, b.tokens + (now - b.atMs) * perMinute / 60_000.0);
            b.atMs = now;
            if (b.tokens < 1) {
                return false;
            }
            b.tokens -= 1;
            return true;
        }
    }

    private static Publisher<MutableHttpResponse<?>> refuse(HttpStatus status, String retryAfterSeconds, String message) {
        return Flux.just(HttpResponse.status(status).header("Retry-After", retryAfterSeconds).body(new ApiErrors.Message(message)));
    }
}
