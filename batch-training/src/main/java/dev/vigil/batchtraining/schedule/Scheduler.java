package dev.vigil.batchtraining.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the due nights as one run (a single night, or a catch-up as one backfill that reads bronze
 * once and trains once, for the newest night: a model per missed night would be replaced at once),
 * up to {@code attempts} times with {@code retryDelay} between attempts. A run that fails every
 * attempt leaves its nights due for the next tick; rerunning a night that did succeed before the
 * failing one gives the same tables. Every attempt is appended to a JSON-lines run log and said on
 * {@code say}.
 */
public final class Scheduler {

    /** Waiting, injected so tests run without time passing. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** What one tick did: the nights that succeeded, or the first night of a run that failed every attempt. */
    public record Tick(List<LocalDate> succeeded, LocalDate failed) {
        public boolean ok() {
            return failed == null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NightlySchedule schedule;
    private final ScheduleState state;
    private final NightRunner runner;
    private final Clock clock;
    private final Sleeper sleeper;
    private final int attempts;
    private final Duration retryDelay;
    private final Path runLog;
    private final Consumer<String> say;

    public Scheduler(NightlySchedule schedule, ScheduleState state, NightRunner runner, Clock clock, Sleeper sleeper,
                     int attempts, Duration retryDelay, Path runLog, Consumer<String> say) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
        this.schedule = schedule;
        this.state = state;
        this.runner = runner;
        this.clock = clock;
        this.sleeper = sleeper;
        this.attempts = attempts;
        this.retryDelay = retryDelay;
        this.runLog = runLog;
        this.say = say;
    }

    /** Runs every night due now, oldest first. */
    public Tick runDue() throws InterruptedException {
        List<LocalDate> due = schedule.due(clock.instant(), state.lastDone());
        if (due.isEmpty()) {
            say.accept("nothing due; last night done: " + state.lastDone().map(LocalDate::toString).orElse("none"));
        } else if (due.size() > 1) {
            say.accept("catching up " + due.size() + " nights: " + due.get(0) + " .. " + due.get(due.size() - 1));
        }
        if (due.isEmpty()) {
            return new Tick(List.of(), null);
        }
        LocalDate first = due.get(0), last = due.get(due.size() - 1);
        if (!runNights(first, last)) {
            return new Tick(List.of(), first);
        }
        state.markDone(last);
        return new Tick(due, null);
    }

    /** Ticks until interrupted: due nights, then sleep until the next is due (or retry a failed one). */
    public void runForever() throws InterruptedException {
        while (!Thread.currentThread().isInterrupted()) {
            Tick tick = runDue();
            Instant now = clock.instant();
            Instant wake = tick.ok() ? schedule.nextRun(now) : now.plus(retryDelay);
            say.accept(tick.ok() ? "next night due at " + wake
                    : "night " + tick.failed() + " failed " + attempts + " attempt(s); trying it again at " + wake);
            sleeper.sleep(Duration.between(now, wake));
        }
    }

    private boolean runNights(LocalDate from, LocalDate to) throws InterruptedException {
        String nights = from.equals(to) ? from.toString() : from + ".." + to;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Instant started = clock.instant();
            say.accept("night " + nights + ": attempt " + attempt + " of " + attempts + " ...");
            NightRunner.Outcome outcome = runner.run(from, to, attempt);
            Duration took = Duration.between(started, clock.instant());
            record(nights, attempt, started, took, outcome);
            say.accept(String.format("night %s: %s after %d s (exit %d): %s; log %s", nights,
                    outcome.succeeded() ? "succeeded" : "FAILED", took.toSeconds(), outcome.exitCode(), outcome.summary(),
                    outcome.log()));
            if (outcome.succeeded()) {
                return true;
            }
            if (attempt < attempts) {
                sleeper.sleep(retryDelay);
            }
        }
        return false;
    }

    private void record(String nights, int attempt, Instant started, Duration took, NightRunner.Outcome outcome) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("night", nights);
        line.put("attempt", attempt);
        line.put("status", outcome.succeeded() ? "succeeded" : "failed");
        line.put("exit_code", outcome.exitCode());
        line.put("started_at", started.toString());
        line.put("seconds", took.toSeconds());
        line.put("summary", outcome.summary());
        line.put("log", outcome.log());
        try {
            Files.createDirectories(runLog.toAbsolutePath().getParent());
            Files.writeString(runLog, JSON.writeValueAsString(line) + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the run log " + runLog, e);
        }
    }
}
