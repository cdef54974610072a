package dev.vigil.alertapi.audit;

import dev.vigil.alertapi.Db;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Refuses to start when the service's database role could rewrite the audit log: a superuser, the
 * table's owner, or a role granted UPDATE, DELETE or TRUNCATE on it. Append-only is then a promise
 * the database keeps against the application itself, not one the application keeps.
 */
@Singleton
final class RuntimeRoleCheck implements ApplicationEventListener<StartupEvent> {
    private final Db db;

    RuntimeRoleCheck(Db db) {
        this.db = db;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        String problem = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT current_user,
                           (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),
                           (SELECT tableowner = current_user FROM pg_tables WHERE tablename = 'audit_log'),
                           has_table_privilege('audit_log', 'UPDATE') OR has_table_privilege('audit_log', 'DELETE')
                               OR has_table_privilege('audit_log', 'TRUNCATE')""");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                String role = rs.getString(1);
                if (rs.getBoolean(2)) {
                    return "database role " + role + " is a superuser";
                }
                if (rs.getBoolean(3)) {
                    return "database role " + role + " owns audit_log";
                }
                if (rs.getBoolean(4)) {
                    return "database role " + role + " may update, delete or truncate audit_log";
                }
                return null;
            }
        });
        if (problem != null) {
            throw new IllegalStateException(problem + ": the service must run as a role that can only read and "
                    + "insert audit rows (VIGIL_PG_USER), with the migrations run by the owner (VIGIL_PG_OWNER_USER)");
        }
    }
}
