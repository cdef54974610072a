package dev.vigil.realtimescoring.bootstrap;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --states URI --savepoint URI [--parallelism 2]}: writes the scoring job's bootstrap
 * savepoint from folded card states (see {@link StateBootstrap}); {@code ./vigil bootstrap} runs it
 * after the lake's batch side has written the states. Exit 64 on a usage error.
 */
public final class BootstrapMain {
    private static final Set<String> OPTIONS = Set.of("states", "savepoint", "parallelism");

    private BootstrapMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].replaceFirst("^--", "");
            if (!args[i].startsWith("--") || i + 1 >= args.length || !OPTIONS.contains(name)) {
                usage("unknown or incomplete option " + args[i]);
            }
            o.put(name, args[i + 1]);
        }
        if (!o.containsKey("states") || !o.containsKey("savepoint")) {
            usage("--states and --savepoint are required");
        }
        Configuration conf = s3FromEnvironment(System.getenv());
        // The client lists the states and the tasks read them: both through the file systems set up here.
        FileSystem.initialize(conf, null);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(Integer.parseInt(o.getOrDefault("parallelism", "2")));
        long started = System.nanoTime();
        StateBootstrap.write(env, o.get("states"), o.get("savepoint"));
        System.out.printf("Savepoint: the card states written as the scoring job's state in %.1f s (Flink), to %s%n",
                (System.nanoTime() - started) / 1e9, o.get("savepoint"));
    }

    /**
     * Flink's S3 file system set up from the variables {@code ./vigil} exports for the local S3 store
     * (or a deployment for its own): a lake on {@code s3a://} is read through it. Empty without an
     * endpoint: then the S3 file system uses its own defaults (AWS, credentials from the environment).
     */
    public static Configuration s3FromEnvironment(Map<String, String> env) {
        Configuration conf = new Configuration();
        String endpoint = env.getOrDefault("VIGIL_S3_ENDPOINT", "");
        if (!endpoint.isBlank()) {
            conf.setString("s3.endpoint", endpoint);
            conf.setString("s3.path.style.access", "true");
            // Without keys the S3 file system looks for credentials itself (environment, instance profile).
            String key = env.getOrDefault("VIGIL_S3_ACCESS_KEY", ""), secret = env.getOrDefault("VIGIL_S3_SECRET_KEY", "");
            if (!key.isBlank() && !secret.isBlank()) {
                conf.setString("s3.access-key", key);
                conf.setString("s3.secret-key", secret);
            }
        }
        return conf;
    }

    private static void usage(String what) {
        System.err.println(what);
        System.err.println("usage: BootstrapMain --states URI --savepoint URI [--parallelism 2]");
        System.exit(64);
    }
}
