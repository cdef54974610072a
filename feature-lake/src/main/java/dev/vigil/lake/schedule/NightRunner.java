package dev.vigil.lake.schedule;

import java.time.LocalDate;

/** Runs one night (the lake steps and training); the process's exit code and where its log went. */
@FunctionalInterface
public interface NightRunner {

    Outcome run(LocalDate night, int attempt) throws InterruptedException;

    /**
     * @param summary one line of what the night did (rows landed, profiles, model), or why it failed
     */
    record Outcome(int exitCode, String log, String summary) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }
}
