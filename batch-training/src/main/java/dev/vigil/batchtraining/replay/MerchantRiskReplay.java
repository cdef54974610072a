package dev.vigil.batchtraining.replay;

import dev.vigil.core.event.Label;
import dev.vigil.core.feature.MerchantRisk;
import dev.vigil.core.feature.MerchantRiskReading;
import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.bronze.BronzeStream;
import dev.vigil.featurelake.bronze.LabelRows;
import io.delta.tables.DeltaTable;
import org.apache.spark.api.java.function.CoGroupFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * The live merchant risk, replayed: for every authorization, what the Flink job's
 * {@link MerchantRisk} for its merchant reads at the authorization's event time. A point-in-time
 * join by label time: each merchant's labels, in label-time order, are added up to the
 * authorization's time and then read by core's rule, the one the job runs.
 *
 * <p>Only labels known by the end of D and carrying their merchant count, as in the job. The job
 * may hold labels that are not yet known at an authorization's time (a backfill sends them early);
 * the rule's {@code labelTime <= t} makes both read the same.
 */
public final class MerchantRiskReplay {

    static final StructType READING = new StructType()
            .add("frauds_1d", DataTypes.IntegerType, false)
            .add("frauds_7d", DataTypes.IntegerType, false)
            .add("frauds_30d", DataTypes.IntegerType, false)
            .add("fraud_cards_1d", DataTypes.IntegerType, false)
            .add("fraud_cards_7d", DataTypes.IntegerType, false)
            .add("fraud_cards_30d", DataTypes.IntegerType, false)
            .add("days_since_fraud", DataTypes.DoubleType, false)
            .add("labels_known_at_ms", DataTypes.LongType, false);

    /** One row per (authorization, merchant, event time) of the input. */
    static final StructType SCHEMA = new StructType()
            .add("_r_id", DataTypes.StringType, false)
            .add("_r_merchant", DataTypes.StringType, false)
            .add("_r_time", DataTypes.LongType, false)
            .add("_merchant_risk", READING, false);

    private MerchantRiskReplay() {
    }

    /**
     * @param auths rows with authorization_id, merchant_id and event_time_ms
     * @return null when the lake holds no labels with merchants
     */
    static Dataset<Row> readings(SparkSession spark, Lake lake, Dataset<Row> auths, LocalDate through) {
        String path = lake.bronze(BronzeStream.LABELS.table());
        if (!DeltaTable.isDeltaTable(spark, path)) {
            return null;
        }
        Dataset<Row> labels = spark.read().format("delta").load(path);
        if (!Arrays.asList(labels.columns()).contains("merchant_id")) {
            return null;
        }
        labels = labels.filter(col("label_date").leq(through).and(col("merchant_id").isNotNull()));
        Dataset<Row> points = auths.select("authorization_id", "merchant_id", "event_time_ms").distinct();
        MapFunction<Row, String> byMerchant = r -> r.getAs("merchant_id");
        CoGroupFunction<String, Row, Row, Row> replay = (merchant, authRows, labelRows) -> {
            List<Row> at = new ArrayList<>();
            authRows.forEachRemaining(at::add);
            at.sort(Comparator.comparingLong(r -> r.<Long>getAs("event_time_ms")));
            List<Label> known = new ArrayList<>();
            labelRows.forEachRemaining(r -> known.add(LabelRows.fromRow(r)));
            known.sort(Comparator.comparingLong(Label::labelTimeMs).thenComparing(Label::labelId));
            MerchantRisk risk = new MerchantRisk();
            List<Row> out = new ArrayList<>(at.size());
            int next = 0;
            for (Row r : at) {
                long t = r.getAs("event_time_ms");
                while (next < known.size() && known.get(next).labelTimeMs() <= t) {
                    risk.add(known.get(next++));
                }
                MerchantRiskReading reading = risk.isEmpty() ? MerchantRiskReading.NONE : risk.read(t);
                out.add(RowFactory.create(r.getAs("authorization_id"), merchant, t, toRow(reading)));
            }
            return out.iterator();
        };
        return points.groupByKey(byMerchant, Encoders.STRING())
                .cogroup(labels.groupByKey(byMerchant, Encoders.STRING()), replay, Encoders.row(SCHEMA));
    }

    static Row toRow(MerchantRiskReading m) {
        return RowFactory.create(m.frauds1d(), m.frauds7d(), m.frauds30d(), m.fraudCards1d(), m.fraudCards7d(),
                m.fraudCards30d(), m.daysSinceFraud(), m.labelsKnownAtMs());
    }

    static MerchantRiskReading fromRow(Row r) {
        return r == null ? MerchantRiskReading.NONE : new MerchantRiskReading(r.getInt(0), r.getInt(1), r.getInt(2),
                r.getInt(3), r.getInt(4), r.getInt(5), r.getDouble(6), r.getLong(7));
    }
}
