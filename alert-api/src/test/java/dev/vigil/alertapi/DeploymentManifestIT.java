package dev.vigil.alertapi;

import dev.vigil.core.deploy.Manifests;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.vigil.core.deploy.Manifests.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kubernetes/alert-api.yaml against the service: its probes and scrape path answer 200 without
 * a token on the running service, the main class is this one, every environment variable is one the
 * configuration reads, and every required one is given.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeploymentManifestIT implements TestPropertyProvider {
    private static final TestServices SERVICES = new TestServices("manifest");
    private final Map<String, Object> deployment = Manifests.one("Deployment", "vigil-alert-api");
    private final Map<String, Object> container = at(deployment, "spec", "template", "spec", "containers", 0);

    @Inject
    EmbeddedServer server;

    /** The manifest's management port stands in as a free one here (ENDPOINTS_ALL_PORT there). */
    private final int managementPort = freePort();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new java.util.HashMap<>(SERVICES.properties());
        p.put("endpoints.all.port", String.valueOf(managementPort));
        return p;
    }

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    void dropDatabase() {
        SERVICES.drop();
    }

    @Test
    void probesAndTheScrapePathAnswerWithoutATokenOnTheManagementPortOnly() {
        assertEquals("8081", env().get("ENDPOINTS_ALL_PORT"));
        Api management = new Api(java.net.URI.create("http://127.0.0.1:" + managementPort + "/"));
        Api api = new Api(server.getURI());
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            String path = at(container, probe, "httpGet", "path");
            Api.Reply r = management.get(path, null);
            assertEquals(200, r.status(), probe + " " + path + ": " + r.body());
            assertEquals(404, api.get(path, null).status(), path + " is not on the public port");
        }
        String scrape = at(deployment, "spec", "template", "metadata", "annotations", "prometheus.io/path");
        Api.Reply metrics = management.get(scrape, null);
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("vigil_alerts_ingested_total"), "Vigil's own metrics are scraped");
        assertEquals(404, api.get(scrape, null).status(), "metrics are not on the public port");
        assertEquals(200, api.get("/ui/index.html", null).status(), "the page is");
    }

    @Test
    void theContainerRunsThisServiceOnThePortItExposes() {
        List<?> command = at(container, "command");
        assertEquals(Application.class.getName(), command.get(command.size() - 1));
        Map<String, String> env = env();
        Object port = at(container, "ports", 0, "containerPort");
        assertEquals(String.valueOf(port), env.get("VIGIL_API_PORT"));
        assertEquals("0.0.0.0", env.get("VIGIL_API_HOST"), "reachable from outside the pod");
        Map<String, Object> service = Manifests.one("Service", "vigil-alert-api");
        assertEquals((Object) at(container, "ports", 0, "name"), at(service, "spec", "ports", 0, "targetPort"));

        String dockerfile = Manifests.read("deploy/kubernetes/images/alert-api.Dockerfile");
        assertTrue(dockerfile.contains("COPY alert-api/target/vigil-alert-api-" + Manifests.projectVersion() + ".jar /app/lib/"));
        assertTrue(command.contains("/app/lib/*"), "the classpath is the folder the image fills");
    }

    /** Micronaut's own settings a variable may set; the tests above exercise each. */
    private static final Set<String> MICRONAUT = Set.of("endpoints.all.port");

    @Test
    void everyVariableIsReadAndEveryRequiredOneIsGiven() {
        String properties = Manifests.read("alert-api/src/main/resources/application.properties");
        Set<String> read = new HashSet<>();
        Set<String> required = new HashSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)(:[^}]*)?}").matcher(properties);
        while (m.find()) {
            read.add(m.group(1));
            if (m.group(2) == null) {
                required.add(m.group(1));
            }
        }
        Map<String, String> env = env();
        String code = mainSources();
        for (String name : env.keySet()) {
            // Micronaut also maps a variable to a property (VIGIL_KAFKA_BOOTSTRAP is vigil.kafka.bootstrap).
            String property = name.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
            assertTrue(read.contains(name) || code.contains("${" + property) || MICRONAUT.contains(property)
                    || coreReads(name), name + " is read by nothing");
        }
        for (String name : required) {
            assertTrue(env.containsKey(name), name + " is required by application.properties but not given");
        }
        assertTrue(required.containsAll(Set.of("VIGIL_PG_URL", "VIGIL_API_JWT_SECRET")));
    }

    @Test
    void theServiceRunsAsARoleThatIsNotTheOwnerAndTheDatabaseDeclaresIt() {
        Map<String, String> env = env();
        String runtime = env.get("VIGIL_PG_USER");
        String owner = env.get("VIGIL_PG_OWNER_USER");
        assertTrue(runtime.startsWith("secret:") && owner.startsWith("secret:"), env.toString());
        String runtimeSecret = runtime.substring("secret:".length(), runtime.indexOf('/'));
        assertNotEquals(owner.substring("secret:".length(), owner.indexOf('/')), runtimeSecret,
                "the runtime role has its own secret, not the owner's");
        Map<String, Object> cluster = Manifests.one("Cluster", "vigil-alerts-db");
        List<?> roles = at(cluster, "spec", "managed", "roles");
        Map<?, ?> role = (Map<?, ?>) roles.get(0);
        assertEquals(runtimeSecret, at(role, "passwordSecret", "name"), "the operator makes the role of that secret");
        assertEquals(Boolean.FALSE, role.get("superuser"));
    }

    /** core's own settings read from the environment (Kafka login, keys), by the variable's name. */
    private static boolean coreReads(String name) {
        try (var files = java.nio.file.Files.walk(Manifests.repositoryRoot().resolve("core/src/main/java"))) {
            for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (java.nio.file.Files.readString(f).contains("\"" + name + "\"")) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String mainSources() {
        try (var files = java.nio.file.Files.walk(Manifests.repositoryRoot().resolve("alert-api/src/main/java"))) {
            StringBuilder all = new StringBuilder();
            for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                all.append(java.nio.file.Files.readString(f));
            }
            return all.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Variable name → literal value, or "secret:NAME/KEY" for values from a Secret. */
    private Map<String, String> env() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Object o : (List<?>) at(container, "env")) {
            Map<?, ?> e = (Map<?, ?>) o;
            Object ref = at(e, "valueFrom", "secretKeyRef");
            out.put((String) e.get("name"), ref == null ? String.valueOf(e.get("value"))
                    : "secret:" + at(ref, "name") + "/" + at(ref, "key"));
        }
        return out;
    }
}
