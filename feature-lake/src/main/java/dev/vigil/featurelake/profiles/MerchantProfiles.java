package dev.vigil.featurelake.profiles;

import dev.vigil.core.event.MerchantProfile;
import dev.vigil.core.feature.Currencies;
import dev.vigil.core.profile.CardProfileBuilder;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

import java.time.LocalDate;

import static org.apache.spark.sql.functions.call_udf;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Merchant profiles for logical date D, over the merchant's approved authorizations of the 90 days
 * up to D. Relational by nature (it looks across cards), so it is Spark SQL here, and only here:
 * Flink never computes it, the fold only reads it.
 *
 * <ul>
 *   <li>Labels count only when known at D ({@code label_date <= D}); per authorization a chargeback
 *       overrides an analyst verdict.</li>
 *   <li>The fraud rate uses only mature authorizations (at least {@code maturityDays} old), since
 *       a recent one may still get its chargeback; it is shrunk towards the overall rate with
 *       weight {@link #PRIOR_WEIGHT} so a small merchant's one fraud does not read as 100%.</li>
 *   <li>Compromise: the share of the merchant's cards defrauded later, at another merchant.</li>
 * </ul>
 * Every figure comes from integer sums, so a rerun or a backfill gives identical content whatever
 * order Spark adds in: amounts are summed exactly in thousandths of the major unit (a sum of doubles
 * differed in the last bit between partitionings, and rounding it to 1e-6 still flipped a digit
 * when the mean sat near a rounding boundary), then divided once and rounded (amounts to 1e-6,
 * rates to 1e-9).
 */
public final class MerchantProfiles {

    public static final int DEFAULT_MATURITY_DAYS = 14;
    static final double PRIOR_WEIGHT = 20;
    static final String THOUSANDTHS = "vigil_amount_thousandths";

    private MerchantProfiles() {
    }

    /**
     * Profiles as of {@code asOf} from {@code authorizations} (bronze rows covering at least the 90 days
     * up to D) and {@code labels} (the labels table). A backfill passes the same persisted rows for
     * every night, so bronze is read once; the rule per night is exactly the single night's.
     */
    public static Dataset<Row> compute(SparkSession spark, Dataset<Row> authorizations, Dataset<Row> labels,
                                       LocalDate asOf, int maturityDays) {
        if (!spark.catalog().functionExists(THOUSANDTHS)) {
            spark.udf().register(THOUSANDTHS, (UDF2<Long, String, Long>) Currencies::toThousandths, DataTypes.LongType);
        }
        LocalDate from = asOf.minusDays(CardProfileBuilder.WINDOW_90D - 1);
        Dataset<Row> window = authorizations.filter(col("event_date").between(from, asOf))
                .select("authorization_id", "card_token", "merchant_id", "billing_amount_minor", "billing_currency",
                        "host_decline", "event_time_ms", "event_date");
        Dataset<Row> approved = window.filter(col("host_decline").isNull());

        // One resolved label per authorization, as known at D.
        Dataset<Row> resolved = labels
                .filter(col("label_date").leq(asOf).and(col("event_date").between(from, asOf)))
                .withColumn("_n", row_number().over(Window.partitionBy("authorization_id").orderBy(
                        when(col("source").equalTo("CHARGEBACK"), 0).otherwise(1), col("label_time_ms").desc())))
                .filter(col("_n").equalTo(1))
                .select(col("authorization_id"), col("fraud"), col("source").equalTo("CHARGEBACK").as("chargeback"));

        Dataset<Row> volume = approved.groupBy("merchant_id").agg(
                count(lit(1)).cast("int").as("txn_count_90d"),
                countDistinct("card_token").cast("int").as("card_count_90d"),
                round(sum(call_udf(THOUSANDTHS, col("billing_amount_minor"), col("billing_currency")))
                        .divide(count(lit(1))).divide(1000.0), 6)
                        .as("amount_mean_90d"));

        Dataset<Row> labelled = approved.join(resolved, "authorization_id");
        Dataset<Row> chargebacks = labelled.filter(col("chargeback").and(col("fraud")))
                .groupBy("merchant_id").agg(count(lit(1)).cast("int").as("chargebacks_90d"));

        Dataset<Row> mature = approved.filter(col("event_date").leq(asOf.minusDays(maturityDays)))
                .join(resolved, approved.col("authorization_id").equalTo(resolved.col("authorization_id")), "left")
                .groupBy("merchant_id").agg(count(lit(1)).as("mature_n"),
                        sum(when(col("fraud"), 1).otherwise(0)).as("mature_fraud"));
        Row overall = mature.agg(sum("mature_n"), sum("mature_fraud")).first();
        double prior = overall.isNullAt(0) || overall.getLong(0) == 0 ? 0 : (double) overall.getLong(1) / overall.getLong(0);

        Dataset<Row> visits = approved.groupBy("merchant_id", "card_token").agg(min("event_time_ms").as("first_visit"));
        Dataset<Row> frauds = labelled.filter(col("fraud"))
                .select(col("card_token"), col("merchant_id").as("fraud_merchant"), col("event_time_ms").as("fraud_time"));
        Dataset<Row> compromised = visits.join(frauds, "card_token")
                .filter(col("fraud_merchant").notEqual(col("merchant_id")).and(col("fraud_time").gt(col("first_visit"))))
                .select("merchant_id", "card_token").distinct()
                .groupBy("merchant_id").agg(count(lit(1)).as("compromised_cards"));

        Column rate = round(coalesce(col("mature_fraud"), lit(0)).plus(lit(PRIOR_WEIGHT * prior))
                .divide(coalesce(col("mature_n"), lit(0)).plus(lit(PRIOR_WEIGHT))), 9);
        Dataset<Row> out = volume.join(mature, "merchant_id", "left")
                .join(chargebacks, "merchant_id", "left")
                .join(compromised, "merchant_id", "left")
                .select(col("merchant_id"), lit(asOf).as("as_of"), col("txn_count_90d"), col("card_count_90d"),
                        col("amount_mean_90d"), rate.as("fraud_rate_90d"),
                        round(coalesce(col("compromised_cards"), lit(0)).divide(col("card_count_90d")), 9)
                                .as("compromise_score"),
                        coalesce(col("chargebacks_90d"), lit(0)).as("chargebacks_90d"));
        return out.withColumn("content_hash", sha2(concat_ws("|", col("merchant_id"), col("txn_count_90d"),
                col("card_count_90d"), col("amount_mean_90d"), col("fraud_rate_90d"), col("compromise_score"),
                col("chargebacks_90d")), 256).substr(1, 32));
    }

    public static MerchantProfile fromRow(Row r) {
        return new MerchantProfile(r.getAs("merchant_id"), r.getAs("as_of"), r.<Integer>getAs("txn_count_90d"),
                r.<Integer>getAs("card_count_90d"), r.<Double>getAs("amount_mean_90d"),
                r.<Double>getAs("fraud_rate_90d"), r.<Double>getAs("compromise_score"),
                r.<Integer>getAs("chargebacks_90d"));
    }
}
