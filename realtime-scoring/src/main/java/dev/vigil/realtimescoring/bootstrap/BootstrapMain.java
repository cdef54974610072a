package dev.vigil.realtimescoring.bootstrap;

import org.apache.flink.configuration.Configuration;
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
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.setParallelism(Integer.parseInt(o.getOrDefault("parallelism", "2")));
        long started = System.nanoTime();
        StateBootstrap.write(env, o.get("states"), o.get("savepoint"));
        System.err.printf("card state savepoint written to %s in %.1f s%n", o.get("savepoint"), (System.nanoTime() - started) / 1e9);
    }

    private static void usage(String what) {
        System.err.println(what);
        System.err.println("usage: BootstrapMain --states URI --savepoint URI [--parallelism 2]");
        System.exit(64);
    }
}
