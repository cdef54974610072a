package dev.vigil.alertapi;

import dev.vigil.testkit.kafka.KafkaSettings;
import dev.vigil.testkit.kafka.RealKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real services a test class runs against: its own database on the run's PostgreSQL (VIGIL_PG_*,
 * exported by ./vigil test or ./vigil services up), its own topics on the run's broker, and random
 * secrets. Nothing is shared between test classes, so they can run in any order.
 */
public final class TestServices {
    public static final String ADMIN = "admin";
    private static final SecureRandom RANDOM = new SecureRandom();

    public final String database;
    /** The service's own database role: owns nothing, as in production. */
    public final String runtimeRole;
    private final String runtimePassword = secret(16);
    public final String alertsTopic;
    public final String labelsTopic;
    public final String dlqTopic;
    public final String adminPassword = "pw-" + secret(12) + "-9";
    private final Map<String, Object> properties = new HashMap<>();

    public TestServices(String name) {
        try {
            String suffix = HexFormat.of().formatHex(RANDOM.generateSeed(4));
            database = "t_" + name.toLowerCase() + "_" + suffix;
            runtimeRole = database + "_app";
            try (Connection c = serverConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database);  // names from this class, never from input
                s.execute("CREATE ROLE " + runtimeRole + " LOGIN PASSWORD '" + runtimePassword + "'");
            }
            alertsTopic = RealKafka.newTopic("alerts", 2);
            labelsTopic = RealKafka.newTopic("labels", 2);
            dlqTopic = RealKafka.newTopic("alerts-dlq", 1);
            properties.put("datasources.default.url", baseUrl() + database);
            properties.put("datasources.default.username", runtimeRole);
            properties.put("datasources.default.password", runtimePassword);
            properties.put("flyway.datasources.owner.url", baseUrl() + database);
            properties.put("flyway.datasources.owner.user", env("VIGIL_PG_OWNER_USER"));
            properties.put("flyway.datasources.owner.password", env("VIGIL_PG_OWNER_PASSWORD"));
            properties.put("vigil.kafka.bootstrap", RealKafka.bootstrap());
            properties.put("vigil.api.topics.alerts", alertsTopic);
            properties.put("vigil.api.topics.labels", labelsTopic);
            properties.put("vigil.api.topics.alerts-dlq", dlqTopic);
            properties.put("vigil.api.consumer-group", "api-" + suffix);
            properties.put("vigil.api.admin.password", adminPassword);
            // Cheaper hashing keeps the many test logins fast; the scheme is the production one.
            properties.put("vigil.api.password-iterations", "20000");
            properties.put("vigil.api.outbox.retry", "1s");
            // Every test logs in from 127.0.0.1; LoginDefenceIT tests the per-client limit on its own.
            properties.put("vigil.api.login.attempts-per-minute", "100000");
            properties.put("micronaut.security.token.jwt.signatures.secret.generator.secret", secret(32));
            properties.put("micronaut.server.port", "-1");
        } catch (Exception e) {
            throw new IllegalStateException("test services for " + name + ": " + e.getMessage(), e);
        }
    }

    public Map<String, String> properties() {
        Map<String, String> out = new HashMap<>();
        properties.forEach((k, v) -> out.put(k, v.toString()));
        return out;
    }

    /** A connection to this test class's database as the tables' owner (to set up and to inspect). */
    public Connection connection() throws SQLException {
        return DriverManager.getConnection(baseUrl() + database, env("VIGIL_PG_OWNER_USER"),
                env("VIGIL_PG_OWNER_PASSWORD"));
    }

    /** A connection as the service's own role: what the running service could do. */
    public Connection runtimeConnection() throws SQLException {
        return DriverManager.getConnection(baseUrl() + database, runtimeRole, runtimePassword);
    }

    public void drop() {
        try (Connection c = serverConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("DROP ROLE IF EXISTS " + runtimeRole);
        } catch (SQLException e) {
            // A left-over database on a throw-away test cluster is harmless.
        }
    }

    public void produce(String topic, List<Map.Entry<String, byte[]>> records) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaSettings.producer(RealKafka.bootstrap()))) {
            for (Map.Entry<String, byte[]> r : records) {
                p.send(new ProducerRecord<>(topic, r.getKey(), r.getValue())).get();
            }
        }
    }

    public static String secret(int bytes) {
        return HexFormat.of().formatHex(RANDOM.generateSeed(bytes));
    }

    private static Connection serverConnection() throws SQLException {
        String url = env("VIGIL_PG_URL");
        return DriverManager.getConnection(url, env("VIGIL_PG_OWNER_USER"), env("VIGIL_PG_OWNER_PASSWORD"));
    }

    private static String baseUrl() {
        String url = env("VIGIL_PG_URL");
        return url.substring(0, url.lastIndexOf('/') + 1);
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: run the tests with ./vigil test, or start the "
                    + "services with ./vigil services up and export what ./vigil services env prints");
        }
        return v;
    }
}
