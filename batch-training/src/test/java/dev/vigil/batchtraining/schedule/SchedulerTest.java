package dev.vigil.batchtraining.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchedulerTest {
    private static final LocalTime AT = LocalTime.of(2, 30);
    private static final Instant NOW = Instant.parse("2026-03-10T08:00:00Z");

    @TempDir
    Path dir;

    private final List<String> calls = new ArrayList<>();
    private final List<Duration> slept = new ArrayList<>();
    private final List<String> said = new ArrayList<>();

    @Test
    void yesterdayIsDueOnlyAfterTheRunTime() {
        NightlySchedule s = new NightlySchedule(AT, LocalDate.parse("2026-03-01"));
        assertEquals(LocalDate.parse("2026-03-08"), s.latestDue(Instant.parse("2026-03-10T02:29:59Z")));
        assertEquals(LocalDate.parse("2026-03-09"), s.latestDue(Instant.parse("2026-03-10T02:30:00Z")));
        assertEquals(Instant.parse("2026-03-10T02:30:00Z"), s.nextRun(Instant.parse("2026-03-10T01:00:00Z")));
        assertEquals(Instant.parse("2026-03-11T02:30:00Z"), s.nextRun(NOW));
    }

    @Test
    void missedNightsAreCaughtUpOldestFirstAndNoneTwice() {
        NightlySchedule s = new NightlySchedule(AT, LocalDate.parse("2026-03-01"));
        assertEquals(List.of(LocalDate.parse("2026-03-07"), LocalDate.parse("2026-03-08"), LocalDate.parse("2026-03-09")),
                s.due(NOW, Optional.of(LocalDate.parse("2026-03-06"))));
        assertEquals(List.of(), s.due(NOW, Optional.of(LocalDate.parse("2026-03-09"))));
        assertEquals(9, s.due(NOW, Optional.empty()).size(), "from the first night when nothing ran yet");
    }

    @Test
    void aTickCatchesUpEveryDueNightInOneBackfillAndRemembersTheLast() throws Exception {
        ScheduleState state = new ScheduleState(dir.resolve("last"));
        state.markDone(LocalDate.parse("2026-03-06"));
        Scheduler.Tick tick = scheduler(state, this::ok, 3).runDue();

        assertTrue(tick.ok());
        assertEquals(List.of(LocalDate.parse("2026-03-07"), LocalDate.parse("2026-03-08"), LocalDate.parse("2026-03-09")),
                tick.succeeded());
        assertEquals(List.of("2026-03-07..2026-03-09#1"), calls, "one run for the three missed nights");
        assertEquals(Optional.of(LocalDate.parse("2026-03-09")), state.lastDone());
        List<String> log = Files.readAllLines(dir.resolve("runs.jsonl"));
        assertEquals(1, log.size());
        assertTrue(log.get(0).contains("\"night\":\"2026-03-07..2026-03-09\"") && log.get(0).contains("\"status\":\"succeeded\""), log.get(0));
        assertEquals(List.of(), slept);

        calls.clear();
        assertTrue(scheduler(state, this::ok, 3).runDue().succeeded().isEmpty());
        assertEquals(List.of(), calls, "a second tick the same day runs nothing");
    }

    @Test
    void aFailedAttemptIsRetriedAfterTheDelay() throws Exception {
        ScheduleState state = new ScheduleState(dir.resolve("last"));
        state.markDone(LocalDate.parse("2026-03-08"));
        Scheduler.Tick tick = scheduler(state, (from, to, attempt) -> attempt == 1 ? failed(from, to, attempt)
                : ok(from, to, attempt), 3).runDue();

        assertTrue(tick.ok());
        assertEquals(List.of("2026-03-09#1", "2026-03-09#2"), calls);
        assertEquals(List.of(Duration.ofMinutes(10)), slept);
        List<String> log = Files.readAllLines(dir.resolve("runs.jsonl"));
        assertTrue(log.get(0).contains("\"status\":\"failed\"") && log.get(0).contains("\"exit_code\":3"), log.get(0));
        assertTrue(log.get(1).contains("\"attempt\":2") && log.get(1).contains("\"status\":\"succeeded\""), log.get(1));
    }

    @Test
    void aRunThatFailsEveryAttemptLeavesItsNightsDue() throws Exception {
        ScheduleState state = new ScheduleState(dir.resolve("last"));
        state.markDone(LocalDate.parse("2026-03-06"));
        Scheduler.Tick tick = scheduler(state, this::failed, 2).runDue();

        assertFalse(tick.ok());
        assertEquals(LocalDate.parse("2026-03-07"), tick.failed());
        assertEquals(List.of("2026-03-07..2026-03-09#1", "2026-03-07..2026-03-09#2"), calls);
        assertEquals(Optional.of(LocalDate.parse("2026-03-06")), state.lastDone());
        assertEquals(List.of(LocalDate.parse("2026-03-07"), LocalDate.parse("2026-03-08"), LocalDate.parse("2026-03-09")),
                new NightlySchedule(AT, LocalDate.MIN).due(NOW, state.lastDone()), "still due at the next tick");
    }

    @Test
    void theLockAdmitsOneScheduleAtATime() throws Exception {
        Path file = dir.resolve("lock");
        try (ScheduleLock first = ScheduleLock.tryAcquire(file).orElseThrow()) {
            assertTrue(ScheduleLock.tryAcquire(file).isEmpty());
            System.setProperty("vigil.home", dir.toString());
            try {
                Files.createDirectories(dir.resolve("schedule"));
                assertEquals(64, ScheduleMain.run(new String[] {"--once"}, Clock.fixed(NOW, ZoneOffset.UTC)),
                        "without the night's argument file there is nothing to run");
                Path running = Files.writeString(dir.resolve("schedule/night.args"), "-Xmx1g");
                Path offered = Files.writeString(dir.resolve("night-offered.args"), "-Xmx2g");
                System.setProperty("vigil.night.argfile", offered.toString());
                try (ScheduleLock held = ScheduleLock.tryAcquire(dir.resolve("schedule/lock")).orElseThrow()) {
                    assertEquals(75, ScheduleMain.run(new String[] {"--once"}, Clock.fixed(NOW, ZoneOffset.UTC)));
                }
                assertEquals("-Xmx1g", Files.readString(running), "a refused schedule leaves the running one's JVM alone");
                assertFalse(Files.exists(offered), "and drops what it was offered");
            } finally {
                System.clearProperty("vigil.home");
                System.clearProperty("vigil.night.argfile");
            }
        }
        assertTrue(ScheduleLock.tryAcquire(file).isPresent(), "released on close");
    }

    @Test
    void theProcessRunnerReportsExitCodeLogAndTheNightsSummary() throws Exception {
        Path summaries = dir.resolve("runs");
        Path script = dir.resolve("night.sh");
        // Called with --from D1 --to D2; writes each night's summary, the last of 03-11 a failed one.
        Files.writeString(script, """
                for d in "$2" "$4"; do
                  status=succeeded; [ "$d" = 2026-03-11 ] && status=failed
                  mkdir -p "%s/$d"
                  echo '{"status":"'$status'","rows_ingested":{"authorizations":7},"card_profiles_written":3,"merchant_profiles_written":2}' > "%s/$d/nightly-summary.json"
                done
                echo "gate: candidate AP 0.41 >= champion 0.40"
                [ "$4" = 2026-03-09 ] && { echo "vigil: data-quality checks failed for $4"; exit 3; }
                [ "$4" = 2026-03-11 ] && { echo "vigil: data-quality checks failed for $4"; exit 3; }
                exit 0
                """.formatted(summaries, summaries));
        ProcessNightRunner runner = new ProcessNightRunner(List.of("bash", script.toString()), dir.resolve("logs"), summaries);

        NightRunner.Outcome good = runner.run(LocalDate.parse("2026-03-07"), LocalDate.parse("2026-03-08"), 1);
        assertEquals(0, good.exitCode());
        assertEquals("lake succeeded (2 nights), landed {\"authorizations\":7}, card profiles 3, merchant profiles 2; "
                + "gate: candidate AP 0.41 >= champion 0.40", good.summary());
        assertTrue(Files.readString(Path.of(good.log())).contains("gate:"));
        assertTrue(good.log().endsWith("night-2026-03-07..2026-03-08-attempt-1.log"), good.log());

        NightRunner.Outcome bad = runner.run(LocalDate.parse("2026-03-09"), LocalDate.parse("2026-03-09"), 2);
        assertEquals(3, bad.exitCode());
        assertTrue(bad.summary().endsWith("vigil: data-quality checks failed for 2026-03-09"), bad.summary());
        assertTrue(bad.log().endsWith("night-2026-03-09-attempt-2.log"));

        NightRunner.Outcome stopped = runner.run(LocalDate.parse("2026-03-10"), LocalDate.parse("2026-03-11"), 1);
        assertTrue(stopped.summary().startsWith("lake failed at 2026-03-11 (1 night(s) before it written)"), stopped.summary());

        // A summary left by an earlier run says nothing of this one.
        Files.setLastModifiedTime(summaries.resolve("2026-03-08").resolve("nightly-summary.json"),
                java.nio.file.attribute.FileTime.fromMillis(0));
        Path silent = dir.resolve("silent.sh");
        Files.writeString(silent, "exit 0\n");
        NightRunner.Outcome nothing = new ProcessNightRunner(List.of("bash", silent.toString()), dir.resolve("logs"), summaries)
                .run(LocalDate.parse("2026-03-08"), LocalDate.parse("2026-03-08"), 1);
        assertEquals("(no summary)", nothing.summary());
    }

    @Test
    void badOptionsAreRefusedWithUsage() throws IOException, InterruptedException {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        assertEquals(64, ScheduleMain.run(new String[] {"--at", "25:00"}, clock));
        assertEquals(64, ScheduleMain.run(new String[] {"--attempts", "0"}, clock));
        assertEquals(64, ScheduleMain.run(new String[] {"--retry-delay", "soon"}, clock));
        assertEquals(64, ScheduleMain.run(new String[] {"--", "--date", "2026-01-01"}, clock));
        assertEquals(64, ScheduleMain.run(new String[] {"--", "--from=2026-01-01"}, clock));
        assertEquals(64, ScheduleMain.run(new String[] {"--bogus"}, clock));
        assertEquals(64, ScheduleMain.run(new String[] {"--lake", "file:///l"}, clock), "the night's options go after --");
    }

    private Scheduler scheduler(ScheduleState state, NightRunner runner, int attempts) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return new Scheduler(new NightlySchedule(AT, LocalDate.parse("2026-03-01")), state, runner, clock, slept::add,
                attempts, Duration.ofMinutes(10), dir.resolve("runs.jsonl"), said::add);
    }

    private NightRunner.Outcome ok(LocalDate from, LocalDate to, int attempt) {
        calls.add(nights(from, to) + "#" + attempt);
        return new NightRunner.Outcome(0, "log", "fine");
    }

    private NightRunner.Outcome failed(LocalDate from, LocalDate to, int attempt) {
        calls.add(nights(from, to) + "#" + attempt);
        return new NightRunner.Outcome(3, "log", "quality checks failed");
    }

    private static String nights(LocalDate from, LocalDate to) {
        return from.equals(to) ? from.toString() : from + ".." + to;
    }
}
