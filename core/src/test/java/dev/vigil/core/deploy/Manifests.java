package dev.vigil.core.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Kubernetes manifests under {@code deploy/kubernetes}, parsed, for the tests of each module that
 * check its own manifest against the build (classes, options, keys, topics). Shipped in core's test jar.
 */
public final class Manifests {
    private Manifests() {
    }

    /** The repository's root, found upwards from the working directory (a module's folder in Maven). */
    public static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/kubernetes")) && Files.exists(p.resolve("vigil"))) {
                return p;
            }
        }
        throw new IllegalStateException("no deploy/kubernetes above " + Path.of("").toAbsolutePath());
    }

    public static Path folder() {
        return repositoryRoot().resolve("deploy/kubernetes");
    }

    /** Every document of every manifest, in file order, each with its file under the key {@code _file}. */
    public static List<Map<String, Object>> all() {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (Reader r = Files.newBufferedReader(f)) {
                    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(r)) {
                        if (doc == null) {
                            continue;
                        }
                        @SuppressWarnings("unchecked") Map<String, Object> m = new java.util.LinkedHashMap<>((Map<String, Object>) doc);
                        m.put("_file", f.getFileName().toString());
                        out.add(m);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static List<Map<String, Object>> ofKind(String kind) {
        return all().stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    public static Map<String, Object> one(String kind, String name) {
        return ofKind(kind).stream().filter(d -> name.equals(at(d, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " under " + folder()));
    }

    /** The value at a path of map keys (and list indexes as numbers), or null when any step is missing. */
    @SuppressWarnings("unchecked")
    public static <T> T at(Object node, Object... path) {
        Object n = node;
        for (Object step : path) {
            if (n instanceof Map<?, ?> m) {
                n = m.get(step);
            } else if (n instanceof List<?> l && step instanceof Integer i && i < l.size()) {
                n = l.get(i);
            } else {
                return null;
            }
        }
        return (T) n;
    }

    /** {@code --name value} pairs of an argument list (values kept as strings), in order. */
    public static Map<String, String> options(List<?> args) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = String.valueOf(args.get(i));
            if (a.startsWith("--")) {
                out.put(a.substring(2), i + 1 < args.size() ? String.valueOf(args.get(i + 1)) : null);
                i++;
            }
        }
        return out;
    }

    /** The project's version (in every module's jar name), from the root pom. */
    public static String projectVersion() {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("<artifactId>vigil-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(read("pom.xml"));
        if (!m.find()) {
            throw new IllegalStateException("no version of vigil-parent in the root pom");
        }
        return m.group(1);
    }

    /** The text of a file of the repository (a Dockerfile, a pom), for cross-checks. */
    public static String read(String relative) {
        try {
            return Files.readString(repositoryRoot().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
