package dev.vigil.featurelake.rekey;

import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.bronze.BronzeStream;
import dev.vigil.featurelake.profiles.CardProfileRows;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;

/**
 * Moves the lake's cards to an announced tokenization key ({@code ./vigil lake rekey --key-id ID}).
 *
 * <p>While a key is announced, the ingress edge writes each card's token under it beside the token
 * of record ({@code next_card_token}). Those pairs are the card's lineage: the only link between
 * its two tokens, since nothing past the edge may hold the card number. This job collects them
 * into {@code token_lineage} (kept, so a second run after the edge switched still knows every pair)
 * and rewrites every table that names a card by token: bronze authorizations, decisions and labels,
 * and the card profiles. Each table's rewrite is one Delta commit; a run stopped half-way is run
 * again (the kept pairs make it idempotent), and the tables' earlier versions keep the old tokens
 * until Delta's retention removes them. A card the edge never saw during the announcement keeps its old token;
 * the result counts those cards, because the job will meet them with no history.
 *
 * <p>Why rewrite rather than join at read time: every reader (the nightly profiles, training's
 * replay, the state bootstrap) groups by {@code card_token}; rewritten, none of them changes, and a
 * bootstrap after this run gives the job each card's full history under its new token.
 */
public final class Rekey {
    static final StructType LINEAGE = new StructType()
            .add("from_token", DataTypes.StringType, false)
            .add("from_key_id", DataTypes.StringType, false)
            .add("to_token", DataTypes.StringType, false)
            .add("to_key_id", DataTypes.StringType, false);

    private Rekey() {
    }

    /**
     * What a run did: pairs known (all runs), rows moved per table, and cards still under another key.
     *
     * @param cardsNotCovered cards in bronze authorizations whose token is under another key than the
     *                        target and that no pair names: the edge did not see them while the key
     *                        was announced
     */
    public record Result(String keyId, long pairs, Map<String, Long> rowsMoved, long cardsNotCovered) {
    }

    public static Result run(SparkSession spark, Lake lake, String keyId) {
        if (keyId == null || !keyId.matches("[A-Za-z0-9._-]{1,32}")) {
            throw new IllegalArgumentException("--key-id must match [A-Za-z0-9._-]{1,32}");
        }
        String authorizations = lake.bronze(BronzeStream.AUTHORIZATIONS.table());
        if (!DeltaTable.isDeltaTable(spark, authorizations)) {
            throw new IllegalStateException("no authorizations in the lake at " + lake + ": nothing to re-key");
        }
        Dataset<Row> lineage = lineage(spark, lake, keyId);
        Map<String, Long> moved = new LinkedHashMap<>();
        moved.put(BronzeStream.AUTHORIZATIONS.table(), move(spark, authorizations, lineage));
        for (BronzeStream s : List.of(BronzeStream.DECISIONS, BronzeStream.LABELS)) {
            if (DeltaTable.isDeltaTable(spark, lake.bronze(s.table()))) {
                moved.put(s.table(), move(spark, lake.bronze(s.table()), lineage));
            }
        }
        if (DeltaTable.isDeltaTable(spark, lake.cardProfiles())) {
            moved.put("card_profiles", moveProfiles(spark, lake.cardProfiles(), lineage));
        }
        long notCovered = spark.read().format("delta").load(authorizations)
                .filter(col("token_key_id").notEqual(lit(keyId)))
                .select("card_token").distinct().count();
        return new Result(keyId, lineage.count(), moved, notCovered);
    }

    /**
     * Every pair (token of record, token under {@code keyId}) the edge wrote, merged into the kept
     * lineage table. A token paired with two different next tokens, or two tokens with one, means
     * the edge mixed keys up: the run stops before it rewrites anything.
     */
    static Dataset<Row> lineage(SparkSession spark, Lake lake, String keyId) {
        Dataset<Row> pairs = spark.read().format("delta").load(lake.bronze(BronzeStream.AUTHORIZATIONS.table()))
                .filter(col("next_token_key_id").equalTo(lit(keyId)))
                .select(col("card_token").as("from_token"), col("token_key_id").as("from_key_id"),
                        col("next_card_token").as("to_token"), col("next_token_key_id").as("to_key_id"))
                .distinct();
        DeltaTable.createIfNotExists(spark).location(lake.tokenLineage()).addColumns(LINEAGE).execute();
        DeltaTable.forPath(spark, lake.tokenLineage()).as("t")
                .merge(pairs.as("s"), "t.from_token = s.from_token AND t.to_token = s.to_token")
                .whenNotMatched().insertAll()
                .execute();
        Dataset<Row> all = spark.read().format("delta").load(lake.tokenLineage())
                .filter(col("to_key_id").equalTo(lit(keyId)));
        long fanOut = all.groupBy("from_token").agg(countDistinct("to_token").as("n")).filter(col("n").gt(1)).count();
        long fanIn = all.groupBy("to_token").agg(count(lit(1)).as("n")).filter(col("n").gt(1)).count();
        if (fanOut > 0 || fanIn > 0) {
            throw new IllegalStateException(fanOut + " token(s) paired with more than one token under '" + keyId + "', "
                    + fanIn + " token(s) under it paired with more than one old token: the edge mixed keys; "
                    + "nothing was re-keyed (the pairs are in " + lake.tokenLineage() + ")");
        }
        return all;
    }

    /**
     * Card profiles name the card inside their content hash too (the night publishes a profile when
     * its hash changed), so each moved profile is rebuilt through core's record, hash and all, and
     * the table is rewritten in one commit: exactly the rows a night under the new key would write.
     */
    private static long moveProfiles(SparkSession spark, String path, Dataset<Row> lineage) {
        Dataset<Row> profiles = spark.read().format("delta").load(path);
        Dataset<Row> joined = profiles.join(lineage.select(col("from_token").as("_from"), col("to_token").as("_to")),
                col("card_token").equalTo(col("_from")), "left");
        long moving = joined.filter(col("_to").isNotNull()).count();
        if (moving == 0) {
            return 0;
        }
        // The night's own columns beyond the profile (whether it changed since the night before) stay as
        // they are: a card's rows all move together, so that comparison gives the same answer.
        StructType schema = profiles.schema();
        Dataset<Row> moved = joined.map((org.apache.spark.api.java.function.MapFunction<Row, Row>) r -> {
            String to = r.getAs("_to");
            if (to == null) {
                return RowFactory.create(Arrays.stream(schema.fieldNames()).map(r::getAs).toArray());
            }
            Row rebuilt = CardProfileRows.toRow(CardProfileRows.fromRow(r).withCardToken(to));
            List<String> own = Arrays.asList(CardProfileRows.SCHEMA.fieldNames());
            return RowFactory.create(Arrays.stream(schema.fieldNames())
                    .map(f -> own.contains(f) ? rebuilt.getAs(f) : r.getAs(f)).toArray());
        }, org.apache.spark.sql.Encoders.row(schema));
        // Materialized first: the write replaces the table the rows are read from.
        moved = moved.localCheckpoint();
        moved.write().format("delta").mode("overwrite").partitionBy("as_of").save(path);
        return moving;
    }

    /** Rewrites {@code path}'s rows of lineage cards to their new token; returns how many moved. */
    private static long move(SparkSession spark, String path, Dataset<Row> lineage) {
        DeltaTable table = DeltaTable.forPath(spark, path);
        List<String> columns = Arrays.asList(table.toDF().schema().fieldNames());
        Map<String, org.apache.spark.sql.Column> set = new LinkedHashMap<>();
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
        long before = table.history(1).select("version").first().getLong(0);
        table.as("t").merge(lineage.as("s"), on).whenMatched().update(set).execute();
        if (table.history(1).select("version").first().getLong(0) == before) {
            return 0;
        }
        Map<String, String> metrics = table.history(1).select("operationMetrics").first().getJavaMap(0);
        String n = metrics == null ? null : metrics.get("numTargetRowsUpdated");
        return n == null ? 0 : Long.parseLong(n);
    }
}
