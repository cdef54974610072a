package dev.vigil.alertapi.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first administrator comes from configuration ({@code vigil.api.admin.username} and
 * {@code vigil.api.admin.password}, e.g. VIGIL_API_ADMIN_PASSWORD) and only while the users table
 * is empty. There is no built-in default: a service with no users and no configured admin refuses
 * to start. {@code ./vigil api} makes a random password for the local one.
 */
@Singleton
final class FirstAdmin implements ApplicationEventListener<StartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(FirstAdmin.class);
    private final Users users;
    private final String username;
    private final String password;

    FirstAdmin(Users users, @Value("${vigil.api.admin.username:admin}") String username,
               @Value("${vigil.api.admin.password:}") String password) {
        this.users = users;
        this.username = username;
        this.password = password;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        if (!users.isEmpty()) {
            return;
        }
        if (password.isBlank()) {
            throw new IllegalStateException("No users yet and no first admin configured: set "
                    + "vigil.api.admin.password (VIGIL_API_ADMIN_PASSWORD), at least "
                    + PasswordPolicy.MIN_LENGTH + " characters with letters and digits");
        }
        users.createFirstAdmin(username, password);
        LOG.info("Created the first admin user '{}' from configuration", username);
    }
}
