package dev.vigil.testkit.history;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Label;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.LabelCodec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * History as files a Spark job reads directly: the same versioned JSON as the topics, one record
 * per line, partitioned by UTC date.
 * <pre>
 *   DIR/authorizations/date=YYYY-MM-DD/part-00000.jsonl   arrival order (the replay order)
 *   DIR/labels/date=YYYY-MM-DD/part-00000.jsonl           by the date the label became known
 *   DIR/truth/date=YYYY-MM-DD/part-00000.csv              ground truth of fraud (for evaluation only)
 * </pre>
 * Authorizations must be appended in arrival order, date after date; labels may come in any order
 * and are written, sorted by label time, on {@link #close}.
 */
public final class HistoryWriter implements AutoCloseable {
    public static final String AUTHORIZATIONS = "authorizations";
    public static final String LABELS = "labels";
    public static final String TRUTH = "truth";

    private final Path root;
    private final List<Label> labels = new ArrayList<>();
    private LocalDate currentDate;
    private OutputStream authOut;
    private OutputStream truthOut;
    private long authorizations;
    private long fraud;

    public HistoryWriter(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
    }

    public Path root() {
        return root;
    }

    /** Appends one authorization; {@code scenario} is its fraud ground truth, or null. */
    public void authorization(Authorization a, String scenario) throws IOException {
        LocalDate date = LocalDate.ofInstant(java.time.Instant.ofEpochMilli(a.eventTimeMs()), ZoneOffset.UTC);
        if (!date.equals(currentDate)) {
            if (currentDate != null && date.isBefore(currentDate)) {
                // Arrival order may step back over midnight for a late record; keep it with its arrival day.
                date = currentDate;
            } else {
                openDate(date);
            }
        }
        authOut.write(AuthorizationCodec.INSTANCE.encode(a));
        authOut.write('\n');
        authorizations++;
        if (scenario != null) {
            fraud++;
            truthOut.write((a.authorizationId() + "," + a.cardToken() + "," + scenario + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
    }

    public void label(Label label) {
        labels.add(label);
    }

    public long authorizations() {
        return authorizations;
    }

    public long fraud() {
        return fraud;
    }

    public int labels() {
        return labels.size();
    }

    private void openDate(LocalDate date) throws IOException {
        closeDate();
        currentDate = date;
        authOut = open(AUTHORIZATIONS, date, "part-00000.jsonl");
        truthOut = open(TRUTH, date, "part-00000.csv");
        truthOut.write("authorization_id,card_token,scenario\n".getBytes(StandardCharsets.US_ASCII));
    }

    private OutputStream open(String table, LocalDate date, String file) throws IOException {
        Path dir = root.resolve(table).resolve("date=" + date);
        Files.createDirectories(dir);
        return new BufferedOutputStream(Files.newOutputStream(dir.resolve(file)), 1 << 20);
    }

    private void closeDate() throws IOException {
        if (authOut != null) {
            authOut.close();
            truthOut.close();
        }
    }

    @Override
    public void close() throws IOException {
        closeDate();
        labels.sort(Comparator.comparingLong(Label::labelTimeMs).thenComparing(Label::labelId));
        Map<LocalDate, List<Label>> byDate = new TreeMap<>();
        for (Label l : labels) {
            byDate.computeIfAbsent(LocalDate.ofInstant(java.time.Instant.ofEpochMilli(l.labelTimeMs()), ZoneOffset.UTC),
                    d -> new ArrayList<>()).add(l);
        }
        byDate.forEach((date, list) -> {
            try (OutputStream out = open(LABELS, date, "part-00000.jsonl")) {
                for (Label l : list) {
                    out.write(LabelCodec.INSTANCE.encode(l));
                    out.write('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Files.writeString(root.resolve("_SUCCESS"), "");
    }
}
