package dev.vigil.alertapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A plain HTTP client for the running service: status codes are data here, not exceptions. */
public final class Api {
    public static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI base;

    public record Reply(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    public Api(URI base) {
        this.base = base;
    }

    public URI base() {
        return base;
    }

    public String login(String user, String password) {
        Reply r = send("POST", "/login", null, Map.of("username", user, "password", password));
        if (r.status() != 200) {
            throw new AssertionError("login of " + user + " failed: " + r);
        }
        return r.json().get("access_token").asText();
    }

    /**
     * A new user's first login: the password an admin set must be changed before anything else, and
     * the change ends that session, so this logs in again with {@code chosen} and returns that token.
     */
    public String firstLogin(String user, String temporary, String chosen) {
        String first = login(user, temporary);
        Reply changed = post("/api/me/password", first, Map.of("currentPassword", temporary, "newPassword", chosen));
        if (changed.status() != 204) {
            throw new AssertionError("password change of " + user + " failed: " + changed);
        }
        return login(user, chosen);
    }

    public Reply get(String path, String token) {
        return send("GET", path, token, null);
    }

    public Reply post(String path, String token, Object body) {
        return send("POST", path, token, body);
    }

    public Reply send(String method, String path, String token, Object body) {
        try {
            String payload = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                    .method(method, payload == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(payload));
            if (payload != null) {
                b.header("Content-Type", "application/json");
            }
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
