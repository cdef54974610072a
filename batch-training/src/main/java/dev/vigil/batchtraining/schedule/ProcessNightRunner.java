package dev.vigil.batchtraining.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the due nights as their own process ({@code java @night.args ... --from D1 --to D2}: the
 * night's entry point, the lake's backfill and then training for D2), so every attempt starts with
 * a fresh JVM and Spark session. Output goes to one log file per attempt; the summary comes from the
 * newest night's {@code nightly-summary.json}.
 */
public final class ProcessNightRunner implements NightRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> command;
    private final Path logDir;
    private final Path summaries;

    /**
     * @param command the nightly's command; the nights are appended as {@code --from D1 --to D2}
     * @param summaries where the nightly writes {@code <date>/nightly-summary.json}
     */
    public ProcessNightRunner(List<String> command, Path logDir, Path summaries) {
        this.command = List.copyOf(command);
        this.logDir = logDir;
        this.summaries = summaries;
    }

    @Override
    public Outcome run(LocalDate from, LocalDate to, int attempt) throws InterruptedException {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("--from", from.toString(), "--to", to.toString()));
        Path log = logDir.resolve("night-" + (from.equals(to) ? from : from + ".." + to) + "-attempt-" + attempt + ".log");
        try {
            Files.createDirectories(logDir);
            FileTime started = FileTime.from(Instant.now());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                int code = p.waitFor();
                return new Outcome(code, log.toString(), summary(from, to, started, code, log));
            } catch (InterruptedException e) {
                p.destroy();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    /** A night's summary if this attempt wrote it (an older run's file says nothing of this one), else null. */
    private JsonNode summaryOf(LocalDate night, FileTime started) throws IOException {
        Path file = summaries.resolve(night.toString()).resolve("nightly-summary.json");
        return Files.exists(file) && Files.getLastModifiedTime(file).compareTo(started) >= 0 ? JSON.readTree(file.toFile()) : null;
    }

    /** The run in one line: what the first night landed, the newest night's profiles, or the night that failed. */
    private String summary(LocalDate from, LocalDate to, FileTime started, int code, Path log) throws IOException {
        StringBuilder s = new StringBuilder();
        JsonNode landed = summaryOf(from, started), newest = null;
        int nights = 0;
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            JsonNode j = summaryOf(d, started);
            if (j == null) {
                break;
            }
            if (!"succeeded".equals(j.path("status").asText())) {
                s.append("lake failed at ").append(d).append(" (").append(nights).append(" night(s) before it written)");
                break;
            }
            nights++;
            newest = j;
        }
        if (s.isEmpty() && newest != null) {
            s.append("lake succeeded").append(nights > 1 ? " (" + nights + " nights)" : "")
                    .append(", landed ").append(landed.path("rows_ingested"))
                    .append(", card profiles ").append(newest.path("card_profiles_written").asText("0"))
                    .append(", merchant profiles ").append(newest.path("merchant_profiles_written").asText("0"));
        }
        if (code != 0) {
            // The last line that says what went wrong.
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("vigil:")) {
                    s.append(s.isEmpty() ? "" : "; ").append(lines.get(i));
                    break;
                }
            }
        } else {
            // What training said of the candidate (TrainMain's "gate:" and "model" lines).
            for (String l : Files.readAllLines(log)) {
                if (l.startsWith("gate: ") || l.startsWith("model: ") || l.startsWith("model not published")) {
                    s.append(s.isEmpty() ? "" : "; ").append(l.strip());
                }
            }
        }
        return s.isEmpty() ? "(no summary)" : s.toString();
    }
}
