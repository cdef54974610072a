package dev.vigil.alertapi.audit;

import io.micronaut.context.annotation.Value;
import io.micronaut.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.util.Map;

/**
 * Tells the owner's migrations which role the service runs as, for the grants in
 * {@code afterMigrate.sql} (Flyway placeholder {@code runtime_role}).
 */
@Singleton
@Named("owner")
final class RuntimeRoleGrants implements FlywayConfigurationCustomizer {
    private final String runtimeRole;

    RuntimeRoleGrants(@Value("${datasources.default.username}") String runtimeRole) {
        if (!runtimeRole.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalStateException("database role name must match [a-z_][a-z0-9_]*: " + runtimeRole);
        }
        this.runtimeRole = runtimeRole;
    }

    @Override
    public String getName() {
        return "owner";
    }

    @Override
    public void customizeFluentConfiguration(FluentConfiguration configuration) {
        configuration.placeholders(Map.of("runtime_role", runtimeRole));
    }
}
