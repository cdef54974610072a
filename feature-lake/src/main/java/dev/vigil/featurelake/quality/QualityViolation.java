package dev.vigil.featurelake.quality;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown before anything of the night is written: the run fails and says which checks failed. */
public final class QualityViolation extends RuntimeException {
    private final transient List<Check> checks;

    /** {@code summaryFile} is where the run's summary (with every check) was written. */
    public QualityViolation(String date, List<Check> checks, Object summaryFile) {
        super("data-quality checks failed for " + date + ": " + checks.stream().filter(c -> !c.passed())
                .map(c -> c.name() + " (" + c.detail() + ")").collect(Collectors.joining("; "))
                + "; nothing of this date was written (summary: " + summaryFile + ")");
        this.checks = List.copyOf(checks);
    }

    public List<Check> checks() {
        return checks;
    }
}
