package dev.vigil.alertapi.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a token's session still stands. A signed token alone would be good until it expires; here
 * every request also checks, against the users table, that its user is still enabled, still has the
 * role the token names, and has not had its sessions ended since the token was issued (the token's
 * session version). A session idle for longer than the idle timeout ends too (PCI DSS 8.2.8).
 *
 * <p>Trade-offs: the user's row is cached for two seconds, so a change reaches other replicas within
 * that; this replica forgets it at once. Idle time is tracked in memory per replica: after a restart,
 * or on another replica, a session counts as active from its first request there.
 */
@Singleton
public final class Sessions {
    static final String VERSION_CLAIM = "sv";
    static final String SESSION_CLAIM = "sid";
    private static final long CACHE_MS = 2_000;

    enum Verdict { VALID, ENDED, PASSWORD_CHANGE_REQUIRED }

    private record Cached(Optional<Users.Standing> standing, long atMs) {
    }

    private final Users users;
    private final long idleMs;
    private final Map<String, Cached> standings = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();

    Sessions(Users users, @Value("${vigil.api.session.idle-timeout:15m}") Duration idleTimeout) {
        this.users = users;
        this.idleMs = idleTimeout.toMillis();
    }

    long idleTimeoutSeconds() {
        return idleMs / 1000;
    }

    /** Checks the session and, when it stands, counts this as activity. Blocking: may read the database. */
    Verdict touch(Authentication auth) {
        Verdict v = check(auth);
        if (v != Verdict.ENDED) {
            session(auth).ifPresent(sid -> lastSeen.put(sid, System.currentTimeMillis()));
        }
        return v;
    }

    /** Checks the session without counting it as activity (the live stream's heartbeat). */
    public boolean stands(Authentication auth) {
        return check(auth) == Verdict.VALID;
    }

    private Verdict check(Authentication auth) {
        long now = System.currentTimeMillis();
        Object exp = auth.getAttributes().get("exp");
        if (exp != null && epochMs(exp) <= now) {
            return Verdict.ENDED;
        }
        Optional<String> sid = session(auth);
        Long seen = sid.map(lastSeen::get).orElse(null);
        if (seen != null && now - seen > idleMs) {
            sid.ifPresent(lastSeen::remove);
            return Verdict.ENDED;
        }
        Optional<Users.Standing> standing = standing(auth.getName(), now);
        Object version = auth.getAttributes().get(VERSION_CLAIM);
        if (standing.isEmpty() || !standing.get().enabled() || !(version instanceof Number n)
                || n.longValue() != standing.get().sessionVersion()
                || !auth.getRoles().containsAll(standing.get().role().granted())
                || !standing.get().role().granted().containsAll(auth.getRoles())) {
            return Verdict.ENDED;
        }
        return standing.get().mustChangePassword() ? Verdict.PASSWORD_CHANGE_REQUIRED : Verdict.VALID;
    }

    /** Drops what this replica cached about the user, after a change to it. */
    void forget(String username) {
        standings.remove(username);
    }

    private Optional<Users.Standing> standing(String username, long now) {
        Cached c = standings.get(username);
        if (c == null || now - c.atMs() > CACHE_MS) {
            c = new Cached(users.standing(username), now);
            standings.put(username, c);
        }
        if (lastSeen.size() > 10_000) {
            lastSeen.values().removeIf(seen -> now - seen > idleMs);
        }
        return c.standing();
    }

    private static Optional<String> session(Authentication auth) {
        return Optional.ofNullable(auth.getAttributes().get(SESSION_CLAIM)).map(Object::toString);
    }

    private static long epochMs(Object claim) {
        if (claim instanceof Date d) {
            return d.getTime();
        }
        if (claim instanceof Instant i) {
            return i.toEpochMilli();
        }
        if (claim instanceof Number n) {
            return n.longValue() * 1000; // JWT NumericDate: seconds
        }
        return Long.parseLong(claim.toString()) * 1000;
    }
}
