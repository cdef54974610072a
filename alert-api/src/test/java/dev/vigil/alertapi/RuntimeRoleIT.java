package dev.vigil.alertapi;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service will not run as a database role that could rewrite its own audit log. */
class RuntimeRoleIT {
    private static final TestServices SERVICES = new TestServices("owner");

    @AfterAll
    static void dropDatabase() {
        SERVICES.drop();
    }

    @Test
    void runningAsTheTablesOwnerIsRefusedAtStart() {
        Map<String, Object> asOwner = new HashMap<>(SERVICES.properties());
        asOwner.put("datasources.default.username", System.getenv("VIGIL_PG_OWNER_USER"));
        asOwner.put("datasources.default.password", System.getenv("VIGIL_PG_OWNER_PASSWORD"));
        Throwable refused = assertThrows(Throwable.class, () -> ApplicationContext.run(asOwner).close());
        StringBuilder messages = new StringBuilder();
        for (Throwable t = refused; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        assertTrue(messages.toString().contains("audit_log") || messages.toString().contains("superuser"),
                messages.toString());
    }
}
