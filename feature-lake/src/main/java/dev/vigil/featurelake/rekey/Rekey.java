package dev.vigil.featurelake.rekey;

import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.bronze.Bronze;
import dev.vigil.featurelake.bronze.BronzeStream;
import dev.vigil.featurelake.bronze.TokenLineage;
import dev.vigil.featurelake.profiles.CardProfileRows;
import dev.vigil.featurelake.profiles.ProfilePublisher;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

/**
 * Moves the lake's cards to an announced tokenization key ({@code ./vigil lake rekey --key-id ID}).
 *
 * <p>While a key is announced, the ingress edge writes each card's token under it beside the token
 * of record ({@code next_card_token}). Those pairs are the card's lineage: the only link between
 * its two tokens, since nothing past the edge may hold the card number. This job keeps them in
 * {@code token_lineage} ({@link TokenLineage}) and rewrites every table that names a card by token:
 * bronze authorizations, decisions and labels, and the card profiles. From then on landing maps
 * what arrives the same way, so announcing records and late labels that still name the old token
 * join the card's history under the new one. A card the edge never saw during the announcement
 * keeps its old token; the result counts the recently active ones, because the job will meet them
 * with no history.
 *
 * <p>Why rewrite rather than join at read time: every reader (the nightly profiles, training's
 * replay, the state bootstrap) groups by {@code card_token}; rewritten, none of them changes, and a
 * bootstrap after this run gives the job each card's full history under its new token. Each
 * table's rewrite is one Delta commit; a run stopped half-way is run again (the kept pairs make it
 * idempotent). Pause the night and the lake's ingest while it runs: both write the same tables.
 */
public final class Rekey {
    /** How far back a card counts as active: the card state's memory (the fold forgets a card after it). */
    public static final int ACTIVE_DAYS = 30;

    private Rekey() {
    }

    /**
     * What a run did.
     *
     * @param newPairs           cards paired by this run (earlier runs' pairs are kept)
     * @param rowsMoved          rows moved to the new key, per table
     * @param activeNotCovered   cards with an authorization in the last {@link #ACTIVE_DAYS} days of
     *                           bronze that are still under another key: the edge did not see them
     *                           while the key was announced, so the job meets them with no history
     * @param profilesPublished  moved card profiles sent to the card-profiles topic (0 without Kafka)
     */
    public record Result(String keyId, long newPairs, Map<String, Long> rowsMoved, long activeNotCovered,
                         long profilesPublished) {
    }

    /** Re-keys the lake to {@code keyId}; publishes the moved profiles to {@code bootstrap} when it is not null. */
    public static Result run(SparkSession spark, Lake lake, String keyId, String bootstrap) {
        TokenLineage.requireKeyId(keyId);
        String authorizations = lake.bronze(BronzeStream.AUTHORIZATIONS.table());
        if (!DeltaTable.isDeltaTable(spark, authorizations)) {
            throw new IllegalStateException("no authorizations in the lake at " + lake + ": nothing to re-key");
        }
        // An older lake's bronze gains the pair's columns first.
        for (BronzeStream s : BronzeStream.values()) {
            Bronze.ensureTables(spark, lake, s);
        }
        Dataset<Row> pairs = spark.read().format("delta").load(authorizations)
                .filter(col("next_token_key_id").equalTo(lit(keyId)))
                .select(col("card_token").as("from_token"), col("token_key_id").as("from_key_id"),
                        col("next_card_token").as("to_token"), col("next_token_key_id").as("to_key_id"));
        long newPairs = TokenLineage.record(spark, lake, keyId, pairs);
        Dataset<Row> lineage = TokenLineage.pairs(spark, lake, keyId);

        Map<String, Long> moved = new LinkedHashMap<>();
        for (BronzeStream s : BronzeStream.values()) {
            moved.put(s.table(), move(spark, lake.bronze(s.table()), lineage));
        }
        long published = 0;
        if (DeltaTable.isDeltaTable(spark, lake.cardProfiles())) {
            moveProfiles(spark, lake.cardProfiles(), lineage, moved);
            if (bootstrap != null) {
                // The newest night's profiles of every paired card, moved by this run or an earlier one
                // (so a run again after a failed send sends them): the night publishes only what changed,
                // and the job must find each card's profile under its new token.
                Dataset<Row> profiles = spark.read().format("delta").load(lake.cardProfiles());
                LocalDate newestNight = newest(profiles, "as_of");
                Dataset<Row> newest = profiles.filter(col("as_of").equalTo(day(newestNight)))
                        .join(lineage.select(col("to_token").as("_to")), col("card_token").equalTo(col("_to")), "left_semi");
                ProfilePublisher.publishCards(newest, bootstrap);
                published = newest.count();
            }
        }
        Dataset<Row> bronze = spark.read().format("delta").load(authorizations);
        LocalDate newestDay = newest(bronze, "event_date");
        long notCovered = newestDay == null ? 0 : bronze
                .filter(col("event_date").gt(day(newestDay.minusDays(ACTIVE_DAYS))))
                .filter(col("token_key_id").notEqual(lit(keyId)))
                .select("card_token").distinct().count();
        return new Result(keyId, newPairs, moved, notCovered, published);
    }

    /** Rewrites {@code path}'s rows of lineage cards to their new token; returns how many moved. */
    private static long move(SparkSession spark, String path, Dataset<Row> lineage) {
        DeltaTable table = DeltaTable.forPath(spark, path);
        List<String> columns = Arrays.asList(table.toDF().schema().fieldNames());
        Map<String, Column> set = new LinkedHashMap<>();
        set.put("card_token", col("s.to_token"));
        String on = "t.card_token = s.from_token";
        if (columns.contains("token_key_id")) {
            set.put("token_key_id", col("s.to_key_id"));
            on += " AND t.token_key_id = s.from_key_id";
        }
        if (columns.contains("next_card_token")) {
            // The pair is in the lineage now; the row carries only its token under the new key.
            set.put("next_card_token", lit(null).cast(DataTypes.StringType));
            set.put("next_token_key_id", lit(null).cast(DataTypes.StringType));
        }
        long before = version(table);
        table.as("t").merge(lineage.as("s"), on).whenMatched().update(set).execute();
        return version(table) == before ? 0 : metric(table, "numTargetRowsUpdated");
    }

    /**
     * Card profiles name the card inside their content hash too (the night publishes a profile when
     * its hash changed), so each moved profile is rebuilt through core's record, hash and all: exactly
     * the row a night under the new key would write. Only the nights holding a moved card are
     * rewritten, in one commit, laid out as the night lays them out. A profile already under the
     * new token for the same night means the card's history was split across its tokens: the run
     * stops before writing.
     */
    private static void moveProfiles(SparkSession spark, String path, Dataset<Row> lineage, Map<String, Long> moved) {
        Dataset<Row> profiles = spark.read().format("delta").load(path);
        Dataset<Row> targets = lineage.select(col("from_token").as("_from"), col("to_token").as("_to"));
        Dataset<Row> joined = profiles.join(targets, col("card_token").equalTo(col("_from")), "left");
        Dataset<Row> moving = joined.filter(col("_to").isNotNull());
        List<LocalDate> nights = moving.select("as_of").distinct().orderBy("as_of").collectAsList().stream()
                .map(r -> r.<LocalDate>getAs(0)).toList();
        moved.put("card_profiles", moving.count());
        if (nights.isEmpty()) {
            return;
        }
        long split = moving.join(profiles.select(col("card_token").as("_have"), col("as_of").as("_night")),
                col("_to").equalTo(col("_have")).and(col("as_of").equalTo(col("_night")))).count();
        if (split > 0) {
            throw new IllegalStateException(split + " card profile(s) exist under both of a card's tokens for the same "
                    + "night: its history was split (landed under the old token after an earlier re-key?); "
                    + "nothing was rewritten in " + path);
        }
        // The night's own columns beyond the profile (whether it changed since the night before) stay as
        // they are: a card's rows all move together, so that comparison gives the same answer.
        StructType schema = profiles.schema();
        List<String> own = Arrays.asList(CardProfileRows.SCHEMA.fieldNames());
        Dataset<Row> rewritten = joined.filter(col("as_of").cast("string")
                        .isin(nights.stream().map(LocalDate::toString).toArray()))
                .map((org.apache.spark.api.java.function.MapFunction<Row, Row>) r -> {
                    String to = r.getAs("_to");
                    Row rebuilt = to == null ? r : CardProfileRows.toRow(CardProfileRows.fromRow(r).withCardToken(to));
                    return RowFactory.create(Arrays.stream(schema.fieldNames())
                            .map(f -> own.contains(f) ? rebuilt.getAs(f) : r.getAs(f)).toArray());
                }, org.apache.spark.sql.Encoders.row(schema));
        long rows = rewritten.count();
        // Delta reads the snapshot the write replaces, so the table can be read and overwritten in one job.
        rewritten.repartitionByRange(Math.max(nights.size(), (int) (rows / 200_000) + 1), col("as_of"), col("card_token"))
                .write().format("delta").mode("overwrite")
                .option("replaceWhere", "as_of IN ('" + String.join("', '", nights.stream().map(LocalDate::toString)
                        .toList()) + "')")
                .partitionBy("as_of")
                .save(path);
    }

    /**
     * The latest date in {@code column}, or null. Through its text: Delta answers a plain max of a
     * partition column from metadata, and that path fails on java.time dates (Delta 4.0).
     */
    private static LocalDate newest(Dataset<Row> table, String column) {
        String newest = table.agg(max(col(column).cast("string"))).first().getString(0);
        return newest == null ? null : LocalDate.parse(newest);
    }

    /** A date literal from its ISO text: a java.time literal breaks Spark's constant folding here. */
    private static Column day(LocalDate date) {
        return lit(date == null ? null : date.toString()).cast("date");
    }

    private static long version(DeltaTable table) {
        return table.history(1).select("version").first().getLong(0);
    }

    private static long metric(DeltaTable table, String name) {
        Map<String, String> metrics = table.history(1).select("operationMetrics").first().getJavaMap(0);
        String n = metrics == null ? null : metrics.get(name);
        return n == null ? 0 : Long.parseLong(n);
    }
}
