package dev.vigil.alertapi.audit;

import dev.vigil.alertapi.Db;
import dev.vigil.alertapi.alert.Cursor;
import dev.vigil.alertapi.alert.Page;
import dev.vigil.core.token.PanScanner;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.http.server.util.HttpClientAddressResolver;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.SecurityFilter;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only record of who read or changed what, from where (the table's trigger refuses
 * updates and deletes). A change is recorded inside the transaction that makes it, so the row and
 * the change commit or roll back together; every other request gets its row from {@link AuditFilter}.
 */
@Singleton
public class AuditLog {
    /** Request attribute: the user a {@code /login} tried to log in as (name-shaped, or absent). */
    public static final String LOGIN_ATTEMPT = "vigil.audit.login-attempt";
    /** Request attribute: what happened, for the row the filter writes (a login's outcome, say). */
    public static final String DETAIL = "vigil.audit.detail";
    /** Request attribute: the request's change was audited in its own transaction. */
    static final String AUDITED_IN_TRANSACTION = "vigil.audit.in-transaction";
    private static final int MAX_RESOURCE = 512;

    @Serdeable
    public record Entry(long auditId, String at, String username, String action, String resource, int outcome,
                        @Nullable String client, @Nullable String detail) {
    }

    private final Db db;
    private final HttpClientAddressResolver clients;

    public AuditLog(Db db, HttpClientAddressResolver clients) {
        this.db = db;
        this.clients = clients;
    }

    /** The row of a request that changed nothing, or whose change failed (the filter's row). */
    void record(HttpRequest<?> request, int outcome) {
        String detail = request.getAttribute(DETAIL, String.class).orElse(null);
        db.inTransaction(c -> insert(c, request, outcome, detail));
    }

    /**
     * Records the current request's change on {@code c}, the connection of the transaction making
     * it. Call it last in the transaction: should a later statement fail, the rollback takes the row
     * with it, and the filter records the failed request instead.
     */
    public void recordChange(Connection c, HttpStatus outcome, String detail) throws SQLException {
        HttpRequest<?> request = ServerRequestContext.currentRequest()
                .orElseThrow(() -> new IllegalStateException("a change is audited while serving a request"));
        insert(c, request, outcome.getCode(), detail);
        request.setAttribute(AUDITED_IN_TRANSACTION, Boolean.TRUE);
    }

    private int insert(Connection c, HttpRequest<?> request, int outcome, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_log (username, action, resource, outcome, client, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, user(request));
            ps.setString(2, request.getMethodName());
            ps.setString(3, resource(request));
            ps.setInt(4, outcome);
            ps.setString(5, clients.resolve(request));
            ps.setString(6, detail == null ? null : PanScanner.maskCardNumbers(detail));
            return ps.executeUpdate();
        }
    }

    /** The authenticated user, else the user a login tried, else "anonymous". */
    private static String user(HttpRequest<?> request) {
        return request.getAttribute(SecurityFilter.AUTHENTICATION, Authentication.class)
                .map(Authentication::getName)
                .or(() -> request.getAttribute(LOGIN_ATTEMPT, String.class))
                .map(PanScanner::maskCardLikeNumbers)
                .orElse("anonymous");
    }

    /** The path with its query, as it is kept: trailing slashes dropped, card numbers masked, capped. */
    static String resource(HttpRequest<?> request) {
        String path = request.getPath();
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String query = request.getUri().getRawQuery();
        String resource = masked(query == null ? path : path + "?" + query);
        return resource.length() > MAX_RESOURCE ? resource.substring(0, MAX_RESOURCE) + "..." : resource;
    }

    /**
     * Percent-decoded (so {@code 4111%201111...} is seen as the digits it is), with every card-like
     * number (Luhn-valid, in an issuer range or not) masked by core's scanner; an id's other digits
     * stay readable. A PAN typed into a path or a
     * filter is refused by the endpoint, but the append-only log would otherwise keep it for ever.
     */
    static String masked(String resource) {
        String decoded;
        try {
            decoded = URLDecoder.decode(resource, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = resource; // a malformed escape: mask the raw text
        }
        return PanScanner.maskCardLikeNumbers(decoded);
    }

    public Page<Entry> list(String username, Long before, int limit) {
        StringBuilder sql = new StringBuilder(
                "SELECT audit_id, at, username, action, resource, outcome, client, detail FROM audit_log");
        List<Object> params = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (username != null) {
            where.add("username = ?");
            params.add(username);
        }
        if (before != null) {
            where.add("audit_id < ?");
            params.add(before);
        }
        if (!where.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", where));
        }
        sql.append(" ORDER BY audit_id DESC LIMIT ?");
        params.add(limit + 1);
        List<Entry> rows = db.read(c -> Db.query(c, sql.toString(), params, rs -> new Entry(rs.getLong(1),
                Db.iso(rs.getTimestamp(2)), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                rs.getString(7), rs.getString(8))));
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            next = new Cursor(0, Long.toString(rows.get(limit - 1).auditId())).encode();
        }
        return new Page<>(List.copyOf(rows), next);
    }
}
