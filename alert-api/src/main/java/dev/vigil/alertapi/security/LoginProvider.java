package dev.vigil.alertapi.security;

import dev.vigil.alertapi.audit.AuditLog;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestExecutorAuthenticationProvider;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.UUID;

/**
 * Checks a login against the users table (on the blocking executor: it hashes and queries). The
 * same hashing is done for an unknown user, a locked account and a wrong password, and the caller
 * learns only that the login failed; the audit row says why. Ten wrong passwords in a row lock the
 * account for 30 minutes; an account unused for 90 days is disabled at its next attempt.
 * A token carries the user's session version and a session id, which {@link Sessions} checks.
 */
@Singleton
final class LoginProvider<B> implements HttpRequestExecutorAuthenticationProvider<B> {
    private final Users users;
    private final PasswordHasher hasher;
    private final String decoy;

    LoginProvider(Users users, PasswordHasher hasher) {
        this.users = users;
        this.hasher = hasher;
        this.decoy = hasher.decoy();
    }

    @Override
    public AuthenticationResponse authenticate(@Nullable HttpRequest<B> request,
                                               AuthenticationRequest<String, String> login) {
        String username = login.getIdentity();
        String password = login.getSecret();
        if (request != null && Users.validateName(username) == null) {
            request.setAttribute(AuditLog.LOGIN_ATTEMPT, username);
        }
        if (username == null || password == null || password.length() > PasswordPolicy.MAX_LENGTH) {
            return failed(request, "malformed login");
        }
        var found = users.credentials(username);
        boolean matches = hasher.matches(password, found.map(Users.Credentials::passwordHash).orElse(decoy));
        if (found.isEmpty()) {
            return failed(request, "no such user");
        }
        Users.Credentials user = found.get();
        if (user.locked()) {
            return failed(request, "account locked after " + Users.MAX_FAILED_LOGINS + " wrong passwords");
        }
        if (!matches) {
            boolean nowLocked = users.failedLogin(username);
            return failed(request, nowLocked ? "wrong password; account locked for " + Users.LOCKOUT : "wrong password");
        }
        if (!user.enabled()) {
            return failed(request, "user disabled");
        }
        if (user.dormant() && users.disableDormant(username) > 0) {
            return failed(request, "no login for " + Users.DORMANT_AFTER + ": user disabled");
        }
        long sessionVersion = users.loggedIn(username);
        detail(request, "logged in");
        return AuthenticationResponse.success(username, user.role().granted(), Map.of(
                Sessions.VERSION_CLAIM, sessionVersion, Sessions.SESSION_CLAIM, UUID.randomUUID().toString()));
    }

    private static AuthenticationResponse failed(@Nullable HttpRequest<?> request, String why) {
        detail(request, "login refused: " + why);
        return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
    }

    private static void detail(@Nullable HttpRequest<?> request, String detail) {
        if (request != null) {
            request.setAttribute(AuditLog.DETAIL, detail);
        }
    }
}
