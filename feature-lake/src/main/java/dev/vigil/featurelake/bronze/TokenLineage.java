package dev.vigil.featurelake.bronze;

import dev.vigil.featurelake.Lake;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * Each card's token pairs across key rotations, kept in the lake's {@code token_lineage} table:
 * old token and key, new token and key. {@link Rekey} fills it and moves the tables; landing then
 * maps what arrives through it ({@link #mapOnLanding}), so a lake once moved to a key stays on it.
 *
 * <p>The pairs link a card's old and new tokens. That is their purpose when a key retires on
 * schedule; after a key was exposed, it is exactly what must not exist (the old key gives the card
 * number back from an old token and its BIN and last four): rotate without announcing then, and
 * accept that the features start again (docs/tokenization-key.md).
 */
public final class TokenLineage {
    public static final StructType SCHEMA = new StructType()
            .add("from_token", DataTypes.StringType, false)
            .add("from_key_id", DataTypes.StringType, false)
            .add("to_token", DataTypes.StringType, false)
            .add("to_key_id", DataTypes.StringType, false);

    private TokenLineage() {
    }

    public static void requireKeyId(String keyId) {
        if (!dev.vigil.core.token.TokenKey.isKeyId(keyId)) {
            throw new IllegalArgumentException("--key-id must match " + dev.vigil.core.token.TokenKey.ID_SHAPE);
        }
    }

    public static boolean exists(SparkSession spark, Lake lake) {
        return DeltaTable.isDeltaTable(spark, lake.tokenLineage());
    }

    /** The kept pairs to {@code keyId}. */
    public static Dataset<Row> pairs(SparkSession spark, Lake lake, String keyId) {
        return spark.read().format("delta").load(lake.tokenLineage()).filter(col("to_key_id").equalTo(lit(keyId)));
    }

    /**
     * Adds {@code candidates} (schema {@link #SCHEMA}, pairs to {@code keyId}) to the kept pairs and
     * returns how many were new. Every kept pair points at the card's newest token: a pair that
     * continues one already kept (its old token is that pair's new one, a second rotation) moves
     * that pair on too, so a late record naming the first token still finds the card. A token paired
     * two ways (to two tokens, or two tokens of one key to one) means an edge mixed keys, two
     * secrets under one id say: nothing is written. The pairs are merged, not appended, so a second
     * run at the same time fails on Delta's conflict check instead of keeping a pair twice.
     */
    public static long record(SparkSession spark, Lake lake, String keyId, Dataset<Row> candidates) {
        DeltaTable.createIfNotExists(spark).location(lake.tokenLineage()).addColumns(SCHEMA).execute();
        Dataset<Row> kept = spark.read().format("delta").load(lake.tokenLineage());
        Dataset<Row> fresh = candidates.distinct()
                .join(kept, new String[]{"from_token", "from_key_id", "to_token", "to_key_id"}, "left_anti")
                .persist();
        try {
            long added = fresh.count();
            if (added == 0) {
                return 0;
            }
            Dataset<Row> all = kept.unionByName(fresh);
            long fanOut = all.groupBy("from_token", "from_key_id").agg(countDistinct("to_token").as("n"))
                    .filter(col("n").gt(1)).count();
            long fanIn = all.groupBy("to_token", "from_key_id").agg(count(lit(1)).as("n"))
                    .filter(col("n").gt(1)).count();
            if (fanOut > 0 || fanIn > 0) {
                throw new IllegalStateException(fanOut + " token(s) paired with more than one new token, " + fanIn
                        + " new token(s) paired with more than one old token of a key: an edge mixed keys. "
                        + "Nothing was re-keyed or kept; find the edge that announced another secret under '" + keyId
                        + "' before running again");
            }
            DeltaTable lineage = DeltaTable.forPath(spark, lake.tokenLineage());
            lineage.as("t").merge(fresh.as("s"), "t.to_token = s.from_token AND t.to_key_id = s.from_key_id")
                    .whenMatched().updateExpr(java.util.Map.of("to_token", "s.to_token", "to_key_id", "s.to_key_id"))
                    .execute();
            lineage.as("t").merge(fresh.as("s"), "t.from_token = s.from_token AND t.from_key_id = s.from_key_id")
                    .whenNotMatched().insertAll()
                    .execute();
            return added;
        } finally {
            fresh.unpersist();
        }
    }

    /**
     * Incoming rows of {@code stream}, mapped as a re-keyed lake holds them: a row naming a card's
     * kept old token (an authorization that still announces, a late label or decision) gets the
     * card's new token. A card first paired after the last {@code rekey} is left as it arrives, on
     * its old token with the rest of its history: the next {@code rekey} moves it whole, where
     * moving only its new rows would split it. Without a lineage the rows pass unchanged.
     */
    public static Dataset<Row> mapOnLanding(SparkSession spark, Lake lake, BronzeStream stream, Dataset<Row> rows) {
        if (!exists(spark, lake)) {
            return rows;
        }
        List<String> columns = Arrays.asList(rows.columns());
        Dataset<Row> map = spark.read().format("delta").load(lake.tokenLineage())
                .select(col("from_token").as("_from"), col("from_key_id").as("_from_key"),
                        col("to_token").as("_to"), col("to_key_id").as("_to_key"));
        Column match = col("card_token").equalTo(col("_from"));
        if (columns.contains("token_key_id")) {
            match = match.and(col("token_key_id").equalTo(col("_from_key")));
        }
        Dataset<Row> joined = rows.join(map, match, "left");
        if (columns.contains("next_token_key_id")) {
            // An authorization that announces another pair than the kept one (another key, or another
            // token under it) is left as it came: the next rekey sees the pair, and refuses a mixed one.
            joined = joined.withColumn("_to", when(col("next_token_key_id").isNull()
                            .or(col("next_card_token").equalTo(col("_to")).and(col("next_token_key_id").equalTo(col("_to_key")))),
                    col("_to")))
                    .withColumn("_to_key", when(col("_to").isNotNull(), col("_to_key")));
        }
        Dataset<Row> mapped = joined.withColumn("card_token", coalesce(col("_to"), col("card_token")));
        if (columns.contains("token_key_id")) {
            mapped = mapped.withColumn("token_key_id", coalesce(col("_to_key"), col("token_key_id")));
        }
        if (columns.contains("next_token_key_id")) {
            Column moved = col("_to").isNotNull();
            mapped = mapped.withColumn("next_card_token", when(moved, lit(null)).otherwise(col("next_card_token")))
                    .withColumn("next_token_key_id", when(moved, lit(null)).otherwise(col("next_token_key_id")));
        }
        return mapped.select(columns.stream().map(c -> col(c)).toArray(Column[]::new));
    }
}
