package dev.vigil.testkit.history;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Label;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.LabelCodec;
import dev.vigil.core.json.Decoded;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads back the authorizations a {@link HistoryWriter} wrote, date after date from a first date,
 * in the arrival order of the files, so they can be sent to the authorizations topic: a scoring job
 * deployed fresh folds the recent past before live traffic, as it would when it starts from a topic's
 * retention. Lines are passed on as written (the contract's JSON); each is decoded only to key it by
 * card token, and a line that does not decode is an error (the history is ours, not third-party input).
 */
public final class HistorySender {
    /** One authorization as read: its id, its card token (the Kafka key) and the line's bytes. */
    public record Line(String authorizationId, String cardToken, byte[] value) {
    }

    /** Receives the lines in order. */
    public interface Sink {
        void send(Line line);
    }

    private HistorySender() {
    }

    /** The history's dates, oldest first, from {@code from} on (all when null). */
    public static List<LocalDate> dates(Path root, LocalDate from) throws IOException {
        Path dir = root.resolve(HistoryWriter.AUTHORIZATIONS);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(root + " holds no history (no " + HistoryWriter.AUTHORIZATIONS + "/ folder)");
        }
        List<LocalDate> dates = new ArrayList<>();
        try (DirectoryStream<Path> days = Files.newDirectoryStream(dir, "date=*")) {
            for (Path day : days) {
                LocalDate date = LocalDate.parse(day.getFileName().toString().substring("date=".length()));
                if (from == null || !date.isBefore(from)) {
                    dates.add(date);
                }
            }
        }
        dates.sort(null);
        return dates;
    }

    /** Passes every authorization of {@code dates} to {@code sink}, in file order; returns how many. */
    public static long read(Path root, List<LocalDate> dates, Sink sink) throws IOException {
        long n = 0;
        for (LocalDate date : dates) {
            Path day = root.resolve(HistoryWriter.AUTHORIZATIONS).resolve("date=" + date);
            List<Path> parts = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(day, "part-*.jsonl")) {
                files.forEach(parts::add);
            }
            parts.sort(null);
            for (Path part : parts) {
                try (BufferedReader in = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
                    String text;
                    int lineNo = 0;
                    while ((text = in.readLine()) != null) {
                        lineNo++;
                        if (text.isBlank()) {
                            continue;
                        }
                        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                        Decoded<Authorization> d = AuthorizationCodec.INSTANCE.decode(bytes);
                        if (!d.isOk()) {
                            throw new IllegalArgumentException(part + " line " + lineNo + ": " + d.reason());
                        }
                        sink.send(new Line(d.value().authorizationId(), d.value().cardToken(), bytes));
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /**
     * Passes every label of the history to {@code sink}, in file order (label date, then label time);
     * returns how many. The job counts each by its merchant from the moment it became known, so
     * labels may be sent ahead of the authorizations they came after.
     */
    public static long readLabels(Path root, Sink sink) throws IOException {
        Path dir = root.resolve(HistoryWriter.LABELS);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> days = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, "date=*")) {
            found.forEach(days::add);
        }
        days.sort(null);
        long n = 0;
        for (Path day : days) {
            List<Path> parts = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(day, "part-*.jsonl")) {
                files.forEach(parts::add);
            }
            parts.sort(null);
            for (Path part : parts) {
                int lineNo = 0;
                for (String text : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                    lineNo++;
                    if (text.isBlank()) {
                        continue;
                    }
                    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                    Decoded<Label> d = LabelCodec.INSTANCE.decode(bytes);
                    if (!d.isOk()) {
                        throw new IllegalArgumentException(part + " line " + lineNo + ": " + d.reason());
                    }
                    sink.send(new Line(d.value().authorizationId(), d.value().cardToken(), bytes));
                    n++;
                }
            }
        }
        return n;
    }
}
