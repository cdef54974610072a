package dev.vigil.realtimescoring.job;

import dev.vigil.core.deploy.Manifests;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.vigil.core.deploy.Manifests.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kubernetes/realtime-scoring.yaml against the build: the jar its image holds is the job jar
 * this module makes, the entry class is in it, every job argument is an option Main takes, and every
 * Flink configuration key is one Flink 2.2 defines (operator-only keys excepted, as Flink cannot know them).
 */
class FlinkDeploymentManifestIT {
    private final Map<String, Object> deployment = Manifests.one("FlinkDeployment", "vigil-realtime-scoring");
    /** The detections job's deployment: the same image and jar, its own state backend (decision 0027). */
    private final Map<String, Object> detections = Manifests.one("FlinkDeployment", "vigil-detections");

    @Test
    void theImageCarriesThisBuildsJobJarWhereTheDeploymentLooksForIt() throws IOException {
        String dockerfile = Manifests.read("deploy/kubernetes/images/realtime-scoring.Dockerfile");
        Matcher copy = Pattern.compile("(?m)^COPY (\\S+) (\\S+)$").matcher(dockerfile);
        assertTrue(copy.find(), "a COPY of the job jar");
        Path jar = Manifests.repositoryRoot().resolve(copy.group(1));
        assertTrue(Files.exists(jar), copy.group(1) + " is not what the build makes: " + listTarget());
        assertEquals("local://" + copy.group(2), at(deployment, "spec", "job", "jarURI"));
        assertTrue(dockerfile.contains("FROM flink:" + org.apache.flink.runtime.util.EnvironmentInformation.getVersion()),
                "the image's Flink is the build's Flink");

        String entry = at(deployment, "spec", "job", "entryClass");
        try (JarFile j = new JarFile(jar.toFile())) {
            assertNotNull(j.getEntry(entry.replace('.', '/') + ".class"), entry + " in " + jar);
            assertEquals(entry, j.getManifest().getMainAttributes().getValue("Main-Class"));
        }
    }

    @Test
    void everyJobArgumentIsAnOptionOfTheJob() {
        for (Map<String, Object> d : List.of(deployment, detections)) {
            List<?> args = at(d, "spec", "job", "args");
            Map<String, String> options = Manifests.options(args);
            assertEquals(args.size(), options.size() * 2, "arguments come as --name value pairs: " + args);
            for (String name : options.keySet()) {
                assertTrue(Main.OPTIONS.contains(name), "--" + name + " is not an option of " + Main.class.getName());
            }
            // The values too: the job parses them at submission, so a bad one would fail the deployment there.
            JobOptions.parse(args.stream().map(String::valueOf).toArray(String[]::new));
            assertEquals(String.valueOf((Object) at(d, "spec", "job", "parallelism")), options.get("parallelism"));
            assertTrue(Set.of("on", "off").contains(options.get("patterns")));
            assertTrue(options.get("checkpoints").startsWith("s3://"), "checkpoints on object storage");
            assertEquals("savepoint", at(d, "spec", "job", "upgradeMode"));
        }
        // One job per deployment (HA in application mode runs one): each says which, and they agree on the rest.
        Map<String, String> scoring = new java.util.HashMap<>(Manifests.options(at(deployment, "spec", "job", "args")));
        Map<String, String> detecting = new java.util.HashMap<>(Manifests.options(at(detections, "spec", "job", "args")));
        assertEquals("scoring", scoring.remove("job"));
        assertEquals("detections", detecting.remove("job"));
        assertEquals(scoring, detecting, "the two jobs read the same topics with the same group and patterns");
        assertEquals("rocksdb", at(deployment, "spec", "flinkConfiguration", "state.backend.type"));
        assertEquals("hashmap", at(detections, "spec", "flinkConfiguration", "state.backend.type"));
    }

    @Test
    void everyFlinkConfigurationKeyIsOneFlinkDefines() throws Exception {
        Set<String> known = flinkKeys();
        Map<String, Object> conf = new java.util.HashMap<>(at(deployment, "spec", "flinkConfiguration"));
        conf.putAll(at(detections, "spec", "flinkConfiguration"));
        for (String key : conf.keySet()) {
            if (key.startsWith("kubernetes.operator.")) {
                continue; // read by the operator, not by Flink
            }
            if (key.startsWith("metrics.reporter.")) {
                assertTrue(key.matches("metrics\\.reporter\\.[a-z]+\\.(factory\\.class|port|interval)"), key);
                continue; // per-reporter keys are a pattern, not fields
            }
            assertTrue(known.contains(key), key + " is not a Flink " + org.apache.flink.runtime.util.EnvironmentInformation
                    .getVersion() + " configuration key");
        }
        assertEquals("kubernetes", conf.get("high-availability.type"));
        assertEquals("kubernetes", at(deployment, "spec", "flinkConfiguration", "high-availability.type"));
    }

    /** Keys (and deprecated spellings) of every ConfigOption constant in Flink's option classes on this classpath. */
    private static Set<String> flinkKeys() throws Exception {
        Set<String> keys = new HashSet<>();
        for (Class<?> holder : optionClasses()) {
            for (Field f : holder.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    f.setAccessible(true);
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    keys.add(o.key());
                    o.fallbackKeys().forEach(k -> keys.add(k.getKey()));
                }
            }
        }
        assertTrue(keys.size() > 300, "found only " + keys.size() + " Flink keys");
        return keys;
    }

    private static List<Class<?>> optionClasses() throws IOException {
        List<Class<?>> out = new java.util.ArrayList<>();
        for (String path : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!path.matches(".*/flink-(core|runtime|statebackend-rocksdb|streaming-java)-[^/]*\\.jar")) {
                continue;
            }
            try (JarFile j = new JarFile(path)) {
                j.stream().map(e -> e.getName())
                        .filter(n -> n.startsWith("org/apache/flink/") && n.endsWith("Options.class") && !n.contains("$"))
                        .forEach(n -> {
                            try {
                                out.add(Class.forName(n.replace('/', '.').replace(".class", ""), false,
                                        FlinkDeploymentManifestIT.class.getClassLoader()));
                            } catch (ClassNotFoundException | LinkageError e) {
                                // an options class whose dependencies are not here holds no key we use
                            }
                        });
            }
        }
        return out;
    }

    private static String listTarget() throws IOException {
        try (var s = Files.list(Manifests.repositoryRoot().resolve("realtime-scoring/target"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList().toString();
        }
    }
}
