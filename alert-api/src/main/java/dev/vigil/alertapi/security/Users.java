package dev.vigil.alertapi.security;

import dev.vigil.alertapi.ApiException;
import dev.vigil.alertapi.Db;
import dev.vigil.alertapi.audit.AuditLog;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The users table: who may log in, with which role, and the state of their account. Passwords are
 * stored only as hashes. A change that affects what a user's tokens stand on ends that user's
 * sessions (its session version moves on); every change is audited in the transaction making it.
 */
@Singleton
public final class Users {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{1,31}");
    /** PCI DSS 8.3.4: lock after at most 10 wrong passwords, for at least 30 minutes. */
    static final int MAX_FAILED_LOGINS = 10;
    static final String LOCKOUT = "30 minutes";
    /** PCI DSS 8.2.6: an account unused for 90 days is disabled. */
    static final String DORMANT_AFTER = "90 days";
    /** Who created the first admin: its password came from the operator's secret, not from a person. */
    static final String CONFIGURATION = "configuration";

    @Serdeable
    public record User(String username, String role, boolean enabled, boolean mustChangePassword, boolean locked,
                       @Nullable String lastLoginAt, String createdAt, String createdBy) {
    }

    /** What a login needs to know about a user; {@code dormant}: no login for {@link #DORMANT_AFTER}. */
    record Credentials(String username, String passwordHash, Role role, boolean enabled, boolean locked,
                       boolean dormant) {
    }

    /** What every request re-checks about its token's user. */
    record Standing(Role role, boolean enabled, long sessionVersion, boolean mustChangePassword) {
    }

    private final Db db;
    private final PasswordHasher hasher;
    private final AuditLog audit;

    public Users(Db db, PasswordHasher hasher, AuditLog audit) {
        this.db = db;
        this.hasher = hasher;
        this.audit = audit;
    }

    public static String validateName(String username) {
        if (username == null || !NAME.matcher(username).matches()) {
            return "username must be 2 to 32 characters: lower-case letters, digits, . _ -, starting with a letter";
        }
        return null;
    }

    Optional<Credentials> credentials(String username) {
        if (validateName(username) != null) {
            return Optional.empty();
        }
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT username, password_hash, role, enabled, "
                    + "COALESCE(locked_until > now(), FALSE), "
                    + "COALESCE(last_login_at, created_at) < now() - CAST(? AS INTERVAL) FROM users WHERE username = ?")) {
                ps.setString(1, DORMANT_AFTER);
                ps.setString(2, username);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Credentials(rs.getString(1), rs.getString(2),
                            Role.valueOf(rs.getString(3)), rs.getBoolean(4), rs.getBoolean(5), rs.getBoolean(6)))
                            : Optional.empty();
                }
            }
        });
    }

    Optional<Standing> standing(String username) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT role, enabled, session_version, must_change_password FROM users WHERE username = ?")) {
                ps.setString(1, username);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Standing(Role.valueOf(rs.getString(1)), rs.getBoolean(2),
                            rs.getLong(3), rs.getBoolean(4))) : Optional.empty();
                }
            }
        });
    }

    /** A good password: clears the failure count and returns the session version the token carries. */
    long loggedIn(String username) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET failed_logins = 0, locked_until = NULL, "
                    + "last_login_at = now() WHERE username = ? RETURNING session_version")) {
                ps.setString(1, username);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** A wrong password: counts it, and locks the account at the limit. True when it is now locked. */
    boolean failedLogin(String username) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE users SET
                        locked_until = CASE WHEN failed_logins + 1 >= ? THEN now() + CAST(? AS INTERVAL) END,
                        failed_logins = CASE WHEN failed_logins + 1 >= ? THEN 0 ELSE failed_logins + 1 END
                    WHERE username = ? RETURNING locked_until IS NOT NULL""")) {
                ps.setInt(1, MAX_FAILED_LOGINS);
                ps.setString(2, LOCKOUT);
                ps.setInt(3, MAX_FAILED_LOGINS);
                ps.setString(4, username);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        });
    }

    /**
     * Disables the users (all, or the one named) with no login for {@link #DORMANT_AFTER}, except the
     * last enabled admin: disabling it would leave nobody able to re-enable anyone. Returns how many.
     */
    int disableDormant(@Nullable String username) {
        return db.inTransaction(c -> {
            lockEnabledAdmins(c);
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE users u SET enabled = FALSE, session_version = session_version + 1
                    WHERE u.enabled AND COALESCE(u.last_login_at, u.created_at) < now() - CAST(? AS INTERVAL)
                      AND (CAST(? AS TEXT) IS NULL OR u.username = ?)
                      AND NOT (u.role = 'ADMIN' AND NOT EXISTS (SELECT 1 FROM users o
                               WHERE o.role = 'ADMIN' AND o.enabled AND o.username <> u.username
                                 AND COALESCE(o.last_login_at, o.created_at) >= now() - CAST(? AS INTERVAL)))""")) {
                ps.setString(1, DORMANT_AFTER);
                ps.setString(2, username);
                ps.setString(3, username);
                ps.setString(4, DORMANT_AFTER);
                return ps.executeUpdate();
            }
        });
    }

    public boolean isEmpty() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM users)");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        });
    }

    /** The first admin, from configuration: its password is the operator's secret, so no forced change. */
    void createFirstAdmin(String username, String password) {
        String problem = Optional.ofNullable(validateName(username)).orElse(PasswordPolicy.problem(username, password));
        if (problem != null) {
            throw new IllegalStateException("the configured first admin: " + problem);
        }
        db.inTransaction(c -> insert(c, username, hasher.hash(password), Role.ADMIN, CONFIGURATION, false));
    }

    /** A user created by an admin, who chose the password: the user must change it at first login. */
    public User create(String username, String password, Role role, String by) {
        String problem = Optional.ofNullable(validateName(username)).orElse(PasswordPolicy.problem(username, password));
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
        String hash = hasher.hash(password);
        return db.inTransaction(c -> {
            if (insert(c, username, hash, role, by, true) == 0) {
                throw ApiException.conflict("user " + username + " exists");
            }
            audit.recordChange(c, HttpStatus.CREATED, "created " + username + " as " + role
                    + ", password to change at first login");
            return find(c, username).orElseThrow();
        });
    }

    private static int insert(Connection c, String username, String hash, Role role, String by, boolean mustChange)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO users (username, password_hash, role, created_by, must_change_password)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING""")) {
            ps.setString(1, username);
            ps.setString(2, hash);
            ps.setString(3, role.name());
            ps.setString(4, by);
            ps.setBoolean(5, mustChange);
            return ps.executeUpdate();
        }
    }

    /**
     * An admin's change to a user. A new password is one the user must change at next login. The
     * last enabled admin can be neither disabled nor demoted. A new role, disabling or a password
     * reset ends the user's sessions.
     */
    public User update(String username, @Nullable Role role, @Nullable Boolean enabled, @Nullable String password) {
        String problem = password == null ? null : PasswordPolicy.problem(username, password);
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
        String hash = password == null ? null : hasher.hash(password);
        return db.inTransaction(c -> {
            List<String> admins = lockEnabledAdmins(c);
            User before = find(c, username).orElseThrow(() -> ApiException.notFound("user " + username));
            boolean losesAdmin = admins.contains(username)
                    && (Boolean.FALSE.equals(enabled) || role != null && role != Role.ADMIN);
            if (losesAdmin && admins.size() == 1) {
                throw ApiException.conflict("user " + username + " is the last enabled admin: enable or create "
                        + "another admin first");
            }
            List<String> changed = new ArrayList<>();
            boolean roleChanges = role != null && !role.name().equals(before.role());
            boolean disables = Boolean.FALSE.equals(enabled) && before.enabled();
            boolean reset = hash != null;
            if (roleChanges) {
                changed.add("role " + before.role() + " -> " + role);
            }
            if (enabled != null && enabled != before.enabled()) {
                changed.add(enabled ? "enabled" : "disabled");
            }
            if (reset) {
                changed.add("password reset, to change at next login");
            }
            // What the user's tokens claim (role) or rest on (enabled, password) changed: end them.
            boolean endSessions = roleChanges || disables || reset;
            if (endSessions) {
                changed.add("sessions ended");
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE users SET role = COALESCE(?, role), enabled = COALESCE(?, enabled),
                                     password_hash = COALESCE(?, password_hash),
                                     must_change_password = must_change_password OR ?,
                                     failed_logins = CASE WHEN ? THEN 0 ELSE failed_logins END,
                                     locked_until = CASE WHEN ? THEN NULL ELSE locked_until END,
                                     session_version = session_version + CASE WHEN ? THEN 1 ELSE 0 END
                    WHERE username = ?""")) {
                ps.setString(1, role == null ? null : role.name());
                ps.setObject(2, enabled);
                ps.setString(3, hash);
                ps.setBoolean(4, reset);
                ps.setBoolean(5, reset);
                ps.setBoolean(6, reset);
                ps.setBoolean(7, endSessions);
                ps.setString(8, username);
                ps.executeUpdate();
            }
            audit.recordChange(c, HttpStatus.OK, username + ": "
                    + (changed.isEmpty() ? "no change" : String.join(", ", changed)));
            return find(c, username).orElseThrow();
        });
    }

    /** The user's own new password, given the current one. Ends every session, this one included. */
    void changeOwnPassword(String username, String current, String replacement) {
        String problem = PasswordPolicy.problem(username, replacement);
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
        if (replacement.equals(current)) {
            throw ApiException.badRequest("the new password must differ from the current one");
        }
        Credentials found = credentials(username).orElseThrow(() -> ApiException.notFound("user " + username));
        if (!hasher.matches(current, found.passwordHash())) {
            failedLogin(username); // a stolen token must not become a way round the lockout
            throw new ApiException(HttpStatus.FORBIDDEN, "the current password is wrong");
        }
        String hash = hasher.hash(replacement);
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET password_hash = ?, "
                    + "must_change_password = FALSE, session_version = session_version + 1 WHERE username = ?")) {
                ps.setString(1, hash);
                ps.setString(2, username);
                ps.executeUpdate();
            }
            audit.recordChange(c, HttpStatus.NO_CONTENT, username + ": own password changed, sessions ended");
            return null;
        });
    }

    /** Logs the user out everywhere: every token issued so far stops working. */
    void endSessions(String username) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE users SET session_version = session_version + 1 WHERE username = ?")) {
                ps.setString(1, username);
                ps.executeUpdate();
            }
            audit.recordChange(c, HttpStatus.NO_CONTENT, username + ": logged out, sessions ended");
            return null;
        });
    }

    public List<User> list() {
        return db.read(c -> {
            List<User> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + USER_COLUMNS + " FROM users ORDER BY username");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(user(rs));
                }
            }
            return out;
        });
    }

    /** Locks the enabled admins' rows, so two admins cannot demote each other at the same moment. */
    private static List<String> lockEnabledAdmins(Connection c) throws SQLException {
        return Db.query(c, "SELECT username FROM users WHERE role = 'ADMIN' AND enabled ORDER BY username FOR UPDATE",
                List.of(), rs -> rs.getString(1));
    }

    private static final String USER_COLUMNS = "username, role, enabled, must_change_password, "
            + "COALESCE(locked_until > now(), FALSE), last_login_at, created_at, created_by";

    public Optional<User> find(String username) {
        return db.read(c -> find(c, username));
    }

    private static Optional<User> find(Connection c, String username) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + USER_COLUMNS + " FROM users WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        }
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4), rs.getBoolean(5),
                rs.getTimestamp(6) == null ? null : Db.iso(rs.getTimestamp(6)), Db.iso(rs.getTimestamp(7)),
                rs.getString(8));
    }
}
