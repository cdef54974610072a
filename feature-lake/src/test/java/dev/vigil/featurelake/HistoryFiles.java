package dev.vigil.featurelake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.List;

/** Hand-made history files in the generator's layout, for tests that need exact records. */
public final class HistoryFiles {
    private HistoryFiles() {
    }

    /** Appends lines to DIR/STREAM/date=DATE/part-00000.jsonl. */
    public static Path append(Path dir, String stream, LocalDate date, List<String> lines) throws IOException {
        Path file = dir.resolve(stream).resolve("date=" + date).resolve("part-00000.jsonl");
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return file;
    }

    public static String json(byte[] encoded) {
        return new String(encoded, StandardCharsets.UTF_8);
    }
}
