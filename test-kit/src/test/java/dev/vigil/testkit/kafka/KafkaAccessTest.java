package dev.vigil.testkit.kafka;

import dev.vigil.core.topic.KafkaAccess;
import dev.vigil.core.topic.KafkaClientSecurity;
import dev.vigil.core.topic.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * core's {@link KafkaAccess} table as ACLs on a real broker with SCRAM logins (the second broker
 * {@code ./vigil test} starts), reached through {@link KafkaClientSecurity} as every client of the
 * project is: each service may write exactly the topics the table gives it and read exactly those,
 * and a wrong password does not get in. The ACLs made here are what kafka.yaml's KafkaUsers declare
 * (KubernetesManifestTest holds those to the same table).
 */
class KafkaAccessTest {
    private static final String BOOTSTRAP = System.getenv("VIGIL_TEST_SECURE_KAFKA_BOOTSTRAP");
    private static final Map<String, String> PASSWORDS = new HashMap<>();

    private static Map<String, Object> as(String user, String password) {
        Map<String, Object> p = new HashMap<>(KafkaClientSecurity.from(Map.of("VIGIL_KAFKA_SECURITY_PROTOCOL",
                "SASL_PLAINTEXT", "VIGIL_KAFKA_SASL_USERNAME", user, "VIGIL_KAFKA_SASL_PASSWORD", password)));
        p.put("bootstrap.servers", BOOTSTRAP);
        p.put("request.timeout.ms", 5_000);
        p.put("default.api.timeout.ms", 8_000);
        return p;
    }

    /** The ACLs of one service: what Strimzi makes of its KafkaUser. */
    static List<AclBinding> acls(KafkaAccess access) {
        String principal = "User:" + access.user();
        List<AclBinding> out = new ArrayList<>();
        for (Topic t : access.reads()) {
            for (AclOperation op : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
                out.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, t.defaultName(), PatternType.LITERAL),
                        new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
            }
        }
        for (Topic t : access.writes()) {
            for (AclOperation op : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
                out.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, t.defaultName(), PatternType.LITERAL),
                        new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
            }
        }
        if (access.groupPrefix() != null) {
            out.add(new AclBinding(new ResourcePattern(ResourceType.GROUP, access.groupPrefix(), PatternType.PREFIXED),
                    new AccessControlEntry(principal, "*", AclOperation.READ, AclPermissionType.ALLOW)));
        }
        return out;
    }

    @BeforeAll
    static void usersTopicsAndAcls() throws Exception {
        if (BOOTSTRAP == null) {
            throw new IllegalStateException("no secured broker: run the tests with ./vigil test, which starts one and "
                    + "exports VIGIL_TEST_SECURE_KAFKA_BOOTSTRAP");
        }
        try (Admin admin = Admin.create(as("admin", System.getenv("VIGIL_TEST_SECURE_KAFKA_ADMIN_PASSWORD")))) {
            List<NewTopic> topics = Arrays.stream(Topic.values())
                    .map(t -> new NewTopic(t.defaultName(), 1, (short) 1)).toList();
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
            List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> users = new ArrayList<>();
            List<AclBinding> acls = new ArrayList<>();
            for (KafkaAccess a : KafkaAccess.ALL) {
                String password = HexFormat.of().formatHex(java.security.SecureRandom.getSeed(12));
                PASSWORDS.put(a.user(), password);
                users.add(new UserScramCredentialUpsertion(a.user(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password));
                acls.addAll(acls(a));
            }
            admin.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
        Thread.sleep(1_000); // credentials and ACLs reach the broker's metadata
    }

    @Test
    void eachServiceWritesAndReadsExactlyItsTopics() {
        List<String> wrong = new ArrayList<>();
        for (KafkaAccess a : KafkaAccess.ALL) {
            Map<String, Object> producer = as(a.user(), PASSWORDS.get(a.user()));
            producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 8_000);
            producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(producer, new StringSerializer(), new ByteArraySerializer())) {
                for (Topic t : Topic.values()) {
                    boolean wrote = attempt(() -> p.send(new ProducerRecord<>(t.defaultName(), "k", new byte[]{1})).get());
                    if (wrote != a.writes().contains(t)) {
                        wrong.add(a.user() + (wrote ? " wrote " : " could not write ") + t.defaultName());
                    }
                }
            }
            for (Topic t : Topic.values()) {
                Map<String, Object> consumer = as(a.user(), PASSWORDS.get(a.user()));
                consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
                try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumer, new StringDeserializer(),
                        new ByteArrayDeserializer())) {
                    c.assign(List.of(new TopicPartition(t.defaultName(), 0)));
                    c.seekToBeginning(c.assignment());
                    boolean read = attempt(() -> c.poll(Duration.ofSeconds(2)));
                    if (read != a.reads().contains(t)) {
                        wrong.add(a.user() + (read ? " read " : " could not read ") + t.defaultName());
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aWrongPasswordDoesNotGetIn() {
        Map<String, Object> consumer = as(KafkaAccess.SCORING.user(), "not-the-password");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumer, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            assertThrows(SaslAuthenticationException.class, () -> c.partitionsFor(Topic.DECISIONS.defaultName()));
        }
        assertTrue(PASSWORDS.containsKey("vigil-alert-api"));
    }

    interface Action {
        Object run() throws Exception;
    }

    /** True when the broker allowed it, false when it refused for lack of an ACL. */
    private static boolean attempt(Action action) {
        try {
            action.run();
            return true;
        } catch (AuthorizationException e) {
            return false;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException) {
                return false;
            }
            throw new AssertionError(e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
