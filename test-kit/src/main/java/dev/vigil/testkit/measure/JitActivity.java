package dev.vigil.testkit.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How busy a JVM's JIT compiler is, read with the JDK's own {@code jstat -compiler}: methods
 * compiled so far and the compilers' time. Two readings around a measured window tell how much the
 * engine still compiled in it. A reading starts a small JVM: the load test takes its readings just
 * before its window and after it; the drain takes its first inside the drain and says so.
 */
public final class JitActivity {
    /** Methods compiled and seconds the JIT compilers spent, as jstat reports them. */
    public record Reading(long compiled, double seconds) {
    }

    private JitActivity() {
    }

    /** The JVM's compiler counters, or empty when jstat cannot read them (another user, perf data off). */
    public static Optional<Reading> read(long jvmPid) {
        Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
        try {
            // English number format whatever the machine's locale (the parser reads "12.84"); the output
            // goes to a file so that a hung jstat cannot outlast the timeout.
            Path out = java.nio.file.Files.createTempFile("vigil-jstat", ".txt");
            try {
                Process p = new ProcessBuilder(jstat.toString(), "-J-Duser.language=en", "-J-Duser.country=US",
                        "-compiler", Long.toString(jvmPid)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    return Optional.empty();
                }
                return parse(java.nio.file.Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                java.nio.file.Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Parses {@code jstat -compiler}: a header line (Compiled Failed Invalid Time ...) and a values line. */
    static Optional<Reading> parse(String jstatOutput) {
        String[] lines = jstatOutput.strip().split("\\R");
        if (lines.length < 2) {
            return Optional.empty();
        }
        String[] header = lines[0].trim().split("\\s+");
        String[] values = lines[1].trim().split("\\s+");
        int compiled = indexOf(header, "Compiled");
        int time = indexOf(header, "Time");
        if (compiled < 0 || time < 0 || values.length <= Math.max(compiled, time)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Reading(Long.parseLong(values[compiled]), Double.parseDouble(values[time])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int indexOf(String[] header, String name) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
