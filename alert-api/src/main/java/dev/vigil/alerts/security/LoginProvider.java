package dev.vigil.alerts.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestExecutorAuthenticationProvider;
import jakarta.inject.Singleton;

/**
 * Checks a login against the users table (on the blocking executor: it hashes and queries). The
 * same work is done for an unknown user as for a wrong password, and the caller learns only that
 * the credentials did not match.
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
        if (username == null || password == null || password.length() > PasswordHasher.MAX_LENGTH) {
            return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        }
        var found = users.credentials(username);
        boolean matches = hasher.matches(password, found.map(Users.Credentials::passwordHash).orElse(decoy));
        if (found.isEmpty() || !matches) {
            return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        }
        if (!found.get().enabled()) {
            return AuthenticationResponse.failure(AuthenticationFailureReason.USER_DISABLED);
        }
        return AuthenticationResponse.success(username, found.get().role().granted());
    }
}
