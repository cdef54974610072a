package dev.vigil.alerts.security;

import dev.vigil.alerts.ApiException;
import dev.vigil.alerts.Db;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The users table: who may log in, with which role. Passwords are stored only as hashes. */
@Singleton
public final class Users {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{1,31}");

    @Serdeable
    public record User(String username, String role, boolean enabled, String createdAt, String createdBy) {
    }

    record Credentials(String username, String passwordHash, Role role, boolean enabled) {
    }

    private final Db db;
    private final PasswordHasher hasher;

    public Users(Db db, PasswordHasher hasher) {
        this.db = db;
        this.hasher = hasher;
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
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT username, password_hash, role, enabled FROM users WHERE username = ?")) {
                ps.setString(1, username);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Credentials(rs.getString(1), rs.getString(2),
                            Role.valueOf(rs.getString(3)), rs.getBoolean(4))) : Optional.empty();
                }
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

    public User create(String username, String password, Role role, String by) {
        String problem = validateName(username);
        if (problem == null) {
            problem = PasswordHasher.validate(password);
        }
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
        String hash = hasher.hash(password);
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO users (username, password_hash, role, created_by) VALUES (?, ?, ?, ?)
                    ON CONFLICT (username) DO NOTHING""")) {
                ps.setString(1, username);
                ps.setString(2, hash);
                ps.setString(3, role.name());
                ps.setString(4, by);
                if (ps.executeUpdate() == 0) {
                    throw ApiException.conflict("user " + username + " exists");
                }
            }
            return find(c, username).orElseThrow();
        });
    }

    public User update(String username, @Nullable Role role, @Nullable Boolean enabled, @Nullable String password) {
        if (password != null && PasswordHasher.validate(password) != null) {
            throw ApiException.badRequest(PasswordHasher.validate(password));
        }
        String hash = password == null ? null : hasher.hash(password);
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE users SET role = COALESCE(?, role), enabled = COALESCE(?, enabled),
                                     password_hash = COALESCE(?, password_hash)
                    WHERE username = ?""")) {
                ps.setString(1, role == null ? null : role.name());
                ps.setObject(2, enabled);
                ps.setString(3, hash);
                ps.setString(4, username);
                if (ps.executeUpdate() == 0) {
                    throw ApiException.notFound("user " + username);
                }
            }
            return find(c, username).orElseThrow();
        });
    }

    public List<User> list() {
        return db.read(c -> {
            List<User> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT username, role, enabled, created_at, created_by FROM users ORDER BY username");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(user(rs));
                }
            }
            return out;
        });
    }

    private static Optional<User> find(java.sql.Connection c, String username) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT username, role, enabled, created_at, created_by FROM users WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        }
    }

    private static User user(ResultSet rs) throws java.sql.SQLException {
        return new User(rs.getString(1), rs.getString(2), rs.getBoolean(3), Db.iso(rs.getTimestamp(4)),
                rs.getString(5));
    }
}
