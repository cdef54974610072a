package dev.vigil.batchtraining.set;

import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.bronze.BronzeStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

import java.time.LocalDate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

/**
 * Labels for replayed authorizations, as known at a cutoff date (a label counts from its own time, never earlier):
 * a label counts when {@code label_date <= cutoff}; per authorization a chargeback overrides an
 * analyst verdict, and among verdicts the latest wins; no label means legitimate. Authorizations the
 * issuer host declined are left out: they never get a chargeback, so every one would read as
 * legitimate (a selection bias the report states).
 */
public final class TrainingSet {

    private TrainingSet() {
    }

    /** (authorization_id, fraud) for every authorization with a label known at {@code cutoff}. */
    public static Dataset<Row> labelsKnownAt(SparkSession spark, Lake lake, LocalDate cutoff) {
        return spark.read().format("delta").load(lake.bronze(BronzeStream.LABELS.table()))
                .filter(col("label_date").leq(cutoff))
                .withColumn("_n", row_number().over(Window.partitionBy("authorization_id").orderBy(
                        when(col("source").equalTo("CHARGEBACK"), 0).otherwise(1), col("label_time_ms").desc())))
                .filter(col("_n").equalTo(1))
                .select(col("authorization_id").as("_label_auth"), col("fraud").as("_fraud"));
    }

    /** Replayed rows with event date in [from, to], host declines left out, with {@code label} 0/1. */
    public static Dataset<Row> labelled(Dataset<Row> replayed, Dataset<Row> labels, LocalDate from, LocalDate to) {
        Dataset<Row> window = replayed.filter(col("event_date").between(from, to).and(col("declined_by_host").equalTo(false)));
        return window.join(labels, window.col("authorization_id").equalTo(labels.col("_label_auth")), "left")
                .withColumn("label", when(col("_fraud").equalTo(true), 1.0).otherwise(0.0))
                .drop("_label_auth", "_fraud");
    }
}
