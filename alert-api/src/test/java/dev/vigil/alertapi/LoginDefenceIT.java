package dev.vigil.alertapi;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limits in front of {@code /login} and on an idle session, on a service configured tight enough
 * to reach them: one login at a time with slow hashing, 30 attempts a minute per client, and a
 * 3-second idle timeout. The per-client test runs last: it empties this client's bucket.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoginDefenceIT implements TestPropertyProvider {
    private static final TestServices SERVICES = new TestServices("logins");

    @Inject
    EmbeddedServer server;

    private Api api;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(SERVICES.properties());
        p.put("vigil.api.login.attempts-per-minute", "30");
        p.put("vigil.api.login.concurrent", "1");
        p.put("vigil.api.password-iterations", "400000"); // each login hashes for a good fraction of a second
        p.put("vigil.api.session.idle-timeout", "3s");
        return p;
    }

    @BeforeAll
    void client() {
        api = new Api(server.getURI());
    }

    @AfterAll
    void dropDatabase() {
        SERVICES.drop();
    }

    @Test
    @Order(1)
    void loginsBeyondTheConcurrencyBoundAreTurnedAwayNotQueued() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<CompletableFuture<Integer>> replies = java.util.stream.IntStream.range(0, 6)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> api.post("/login", null,
                            Map.of("username", "nobody-" + i, "password", "some-guess-" + i)).status(), pool))
                    .toList();
            List<Integer> statuses = replies.stream().map(CompletableFuture::join).toList();
            assertTrue(statuses.contains(503), "six at once against a bound of one: " + statuses);
            assertTrue(statuses.stream().allMatch(s -> s == 503 || s == 401), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(2)
    void aSessionIdleLongerThanTheTimeoutEnds() throws Exception {
        String token = api.login(TestServices.ADMIN, SERVICES.adminPassword);
        assertEquals(200, api.get("/api/me", token).status());
        Thread.sleep(1_500);
        assertEquals(200, api.get("/api/me", token).status(), "activity keeps it alive");
        Thread.sleep(1_500);
        assertEquals(200, api.get("/api/me", token).status());
        Thread.sleep(4_000);
        Api.Reply idle = api.get("/api/me", token);
        assertEquals(401, idle.status());
        assertTrue(idle.body().contains("session has ended"), idle.body());
    }

    @Test
    @Order(3)
    void oneClientGetsOnlyItsAttemptsPerMinute() {
        int refused = 0;
        for (int i = 0; i < 40 && refused == 0; i++) {
            Api.Reply r = api.post("/login", null, Map.of("username", "nobody", "password", "some-guess-" + i));
            if (r.status() == 429) {
                refused++;
                assertTrue(r.body().contains("too many login attempts"), r.body());
            } else {
                assertEquals(401, r.status(), r.body());
            }
        }
        assertEquals(1, refused, "the bucket of 30 ran out within 40 attempts");
    }
}
