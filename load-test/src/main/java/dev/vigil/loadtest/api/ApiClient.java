package dev.vigil.loadtest.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The alert API as the suites call it (the API benchmark, the chaos judges): log in for a bearer
 * token, send a request with a raw body and get status and body back. No JSON binding on purpose:
 * hostile requests must be sent exactly as written, and answers are read with core's JsonTree where
 * needed.
 */
public final class ApiClient {
    private static final Pattern TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    /** A status and a body; status -1 when the request could not be sent or answered. */
    public record Reply(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final URI api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ApiClient(URI api) {
        this.api = api;
    }

    public URI uri() {
        return api;
    }

    /** A bearer token for the user; fails with the status when the login is refused. */
    public String login(String user, String password) throws IOException, InterruptedException {
        Reply r = send("POST", "/login", null, "{\"username\":\"" + json(user) + "\",\"password\":\"" + json(password)
                + "\"}", Map.of());
        Matcher m = TOKEN.matcher(r.body());
        if (r.status() != 200 || !m.find()) {
            throw new IllegalStateException("login as " + user + " failed: " + r.status());
        }
        return m.group(1);
    }

    public Reply get(String path, String token) throws IOException, InterruptedException {
        return send("GET", path, token, null, Map.of());
    }

    /**
     * Sends {@code body} (JSON unless {@code headers} names another Content-Type) as it is. The path
     * is taken verbatim, so callers encode what must be encoded (and may deliberately not).
     */
    public Reply send(String method, String path, String token, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && !headers.containsKey("Content-Type")) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body() == null ? "" : r.body());
    }

    /** The value as a JSON string's content. */
    public static String json(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
