package dev.vigil.featurelake.bronze;

import dev.vigil.featurelake.Lake;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

/**
 * Bootstraps a lake from history files ({@code ./vigil generate}, {@code ./vigil replay}):
 * {@code DIR/authorizations/date=…/*.jsonl} and {@code DIR/labels/date=…/*.jsonl}, the same JSON the
 * topics carry. Each file is read in order by one task, so a record's arrival position is its file
 * and line. Loading the same folder again inserts nothing. The folder must be readable by every
 * executor (local disk in local mode, a shared mount on a cluster).
 */
public final class HistoryLoad {

    private HistoryLoad() {
    }

    public static Bronze.Landed load(SparkSession spark, Lake lake, BronzeStream stream, Path dir) {
        List<String> files = files(dir.resolve(stream.table()));
        if (files.isEmpty()) {
            return Bronze.Landed.NONE;
        }
        String base = dir.toAbsolutePath().normalize().toString();
        JavaRDD<Row> lines = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(files, Math.min(files.size(), 64))
                .flatMap(file -> lines(Path.of(file), "file:" + Path.of(base).relativize(Path.of(file))));
        Dataset<Row> raw = spark.createDataFrame(lines, Bronze.RAW);
        return Bronze.land(spark, lake, stream, raw, "history-" + stream.table(), System.currentTimeMillis());
    }

    /** The stream's .jsonl files under {@code dir}, sorted (date partitions sort by date). */
    public static List<String> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".jsonl")).map(Path::toString).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** The file's lines as raw rows, read lazily; the line number is the arrival position. */
    private static Iterator<Row> lines(Path file, String src) throws IOException {
        BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        return new Iterator<>() {
            long line;
            String next = advance();

            private String advance() {
                try {
                    String s;
                    while ((s = in.readLine()) != null) {
                        line++;
                        if (!s.isBlank()) {
                            return s;
                        }
                    }
                    in.close();
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException("reading " + file, e);
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Row next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Row r = RowFactory.create(next.getBytes(StandardCharsets.UTF_8), src, -1, line);
                next = advance();
                return r;
            }
        };
    }

    /** Every history stream in {@code dir}: authorizations, decisions (if any) and labels. */
    public static List<Bronze.Landed> loadAll(SparkSession spark, Lake lake, Path dir) {
        List<Bronze.Landed> out = new ArrayList<>();
        for (BronzeStream s : BronzeStream.values()) {
            out.add(load(spark, lake, s, dir));
        }
        return out;
    }
}
