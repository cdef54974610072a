package dev.vigil.batchtraining.schedule;

import java.time.LocalDate;

/**
 * Runs the nights {@code from..to} (the lake steps as one backfill, then training for {@code to}); the
 * process's exit code and where its log went.
 */
@FunctionalInterface
public interface NightRunner {

    Outcome run(LocalDate from, LocalDate to, int attempt) throws InterruptedException;

    /**
     * @param summary one line of what the night did (rows landed, profiles, model), or why it failed
     */
    record Outcome(int exitCode, String log, String summary) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }
}
