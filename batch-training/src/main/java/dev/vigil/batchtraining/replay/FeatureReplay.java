package dev.vigil.batchtraining.replay;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.CardProfile;
import dev.vigil.core.event.MerchantProfile;
import dev.vigil.core.feature.CardFold;
import dev.vigil.core.feature.CardState;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.feature.MerchantRiskReading;
import dev.vigil.core.feature.ProfileRule;
import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.bronze.AuthorizationRows;
import dev.vigil.featurelake.bronze.BronzeStream;
import dev.vigil.featurelake.profiles.CardProfileRows;
import dev.vigil.featurelake.profiles.MerchantProfiles;
import io.delta.tables.DeltaTable;
import org.apache.spark.api.java.function.CoGroupFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.struct;

/**
 * Replays every card's bronze authorizations, in arrival order, through core's fold: the code the
 * Flink job runs, so each row carries the features Flink computed (or would have) at that moment.
 *
 * <ul>
 *   <li>Order: a card's records sorted by source (history files before Kafka, files by path),
 *       then partition and offset or line: the order the fold saw them in, not event time.</li>
 *   <li>Profiles: only versions that were published ({@code changed}), since those are the ones
 *       Flink holds, chosen by core's {@link ProfileRule} ({@code as_of <= event date - lag}).
 *       Card profiles are matched inside each card's group; merchant profiles by an as-of join on
 *       (merchant, event date - lag) against each version's validity days.</li>
 *   <li>Merchant risk: what the job's live risk read at each authorization's time, replayed per
 *       merchant by {@link MerchantRiskReplay} and joined by authorization.</li>
 *   <li>Nothing after D: only authorizations with event date <= D, only profiles as of <= D.</li>
 * </ul>
 */
public final class FeatureReplay {

    /** One row per replayed authorization. */
    public static final StructType SCHEMA = new StructType()
            .add("authorization_id", DataTypes.StringType, false)
            .add("card_token", DataTypes.StringType, false)
            .add("merchant_id", DataTypes.StringType, false)
            .add("event_time_ms", DataTypes.LongType, false)
            .add("event_date", DataTypes.DateType, false)
            .add("declined_by_host", DataTypes.BooleanType, false)
            .add("card_profile_as_of", DataTypes.DateType)
            .add("merchant_profile_as_of", DataTypes.DateType)
            .add("merchant_risk_as_of_ms", DataTypes.LongType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private static final String MERCHANT = "_merchant_profile";
    private static final String RISK = "_merchant_risk";

    private FeatureReplay() {
    }

    public static Dataset<Row> replay(SparkSession spark, Lake lake, LocalDate through, int lagDays) {
        Dataset<Row> auths = spark.read().format("delta").load(lake.bronze(BronzeStream.AUTHORIZATIONS.table()))
                .filter(col("event_date").leq(through))
                .withColumn("_target", date_sub(col("event_date"), lagDays));
        Dataset<Row> merchants = merchantValidity(spark, lake, through);
        if (merchants != null) {
            auths = auths.join(merchants, auths.col("merchant_id").equalTo(merchants.col("_m_id"))
                    .and(auths.col("_target").equalTo(merchants.col("_m_target"))), "left")
                    .drop("_m_id", "_m_target");
        } else {
            auths = auths.withColumn(MERCHANT, lit(null).cast(merchantStruct()));
        }
        Dataset<Row> risks = MerchantRiskReplay.readings(spark, lake, auths, through);
        if (risks != null) {
            auths = auths.join(risks, auths.col("authorization_id").equalTo(risks.col("_r_id"))
                    .and(auths.col("merchant_id").equalTo(risks.col("_r_merchant")))
                    .and(auths.col("event_time_ms").equalTo(risks.col("_r_time"))), "left")
                    .drop("_r_id", "_r_merchant", "_r_time");
        } else {
            auths = auths.withColumn(RISK, lit(null).cast(MerchantRiskReplay.READING));
        }

        Dataset<Row> cards = published(spark, lake.cardProfiles(), through);
        if (cards == null) {
            cards = spark.createDataFrame(List.of(), CardProfileRows.SCHEMA);
        }
        MapFunction<Row, String> byCard = r -> r.getAs("card_token");
        CoGroupFunction<String, Row, Row, Row> fold = (token, authRows, profileRows) -> {
            List<Row> ordered = new ArrayList<>();
            authRows.forEachRemaining(ordered::add);
            ordered.sort(ARRIVAL);
            List<CardProfile> versions = new ArrayList<>();
            profileRows.forEachRemaining(r -> versions.add(CardProfileRows.fromRow(r)));
            CardState state = new CardState();
            List<Row> out = new ArrayList<>(ordered.size());
            for (Row r : ordered) {
                Authorization a = AuthorizationRows.fromRow(r);
                CardProfile card = ProfileRule.choose(versions, a.eventTimeMs(), lagDays);
                Row m = r.getAs(MERCHANT);
                MerchantProfile merchant = m == null ? null : MerchantProfiles.fromRow(m);
                MerchantRiskReading risk = MerchantRiskReplay.fromRow(r.getAs(RISK));
                float[] v = FeatureSet.newVector();
                CardFold.step(state, a, card, merchant, risk, v);
                List<Float> features = new ArrayList<>(v.length);
                for (float f : v) {
                    features.add(f);
                }
                out.add(RowFactory.create(a.authorizationId(), a.cardToken(), a.merchantId(), a.eventTimeMs(),
                        r.getAs("event_date"), a.declinedByHost(), card == null ? null : card.asOf(),
                        merchant == null ? null : merchant.asOf(), risk.labelsKnownAtMs(),
                        scala.jdk.javaapi.CollectionConverters.asScala(features).toSeq()));
            }
            return out.iterator();
        };
        return auths.groupByKey(byCard, Encoders.STRING())
                .cogroup(cards.groupByKey(byCard, Encoders.STRING()), fold, Encoders.row(SCHEMA));
    }

    /** History files before Kafka; then source path, partition, offset (line). */
    static final Comparator<Row> ARRIVAL = Comparator
            .comparingInt((Row r) -> r.<String>getAs("src").startsWith("file:") ? 0 : 1)
            .thenComparing(r -> r.<String>getAs("src"))
            .thenComparingInt(r -> r.<Integer>getAs("src_partition"))
            .thenComparingLong(r -> r.<Long>getAs("src_offset"));

    /** The published versions of a profile table up to {@code through}, or null when it does not exist. */
    static Dataset<Row> published(SparkSession spark, String path, LocalDate through) {
        if (!DeltaTable.isDeltaTable(spark, path)) {
            return null;
        }
        Dataset<Row> t = spark.read().format("delta").load(path).filter(col("as_of").leq(through));
        return java.util.Arrays.asList(t.columns()).contains("changed") ? t.filter(col("changed")) : t;
    }

    private static StructType merchantStruct() {
        return new StructType().add("merchant_id", DataTypes.StringType).add("as_of", DataTypes.DateType)
                .add("txn_count_90d", DataTypes.IntegerType).add("card_count_90d", DataTypes.IntegerType)
                .add("amount_mean_90d", DataTypes.DoubleType).add("fraud_rate_90d", DataTypes.DoubleType)
                .add("compromise_score", DataTypes.DoubleType).add("chargebacks_90d", DataTypes.IntegerType);
    }

    /** (merchant, target day) → the version valid that day: from its as_of until the next version. */
    private static Dataset<Row> merchantValidity(SparkSession spark, Lake lake, LocalDate through) {
        Dataset<Row> versions = published(spark, lake.merchantProfiles(), through);
        if (versions == null) {
            return null;
        }
        Column next = lead(col("as_of"), 1).over(Window.partitionBy("merchant_id").orderBy("as_of"));
        Column profile = struct(col("merchant_id"), col("as_of"), col("txn_count_90d"), col("card_count_90d"),
                col("amount_mean_90d"), col("fraud_rate_90d"), col("compromise_score"), col("chargebacks_90d"));
        return versions.withColumn("_valid_to", coalesce(date_sub(next, 1), lit(through)))
                .select(col("merchant_id").as("_m_id"), explode(sequence(col("as_of"), col("_valid_to"))).as("_m_target"),
                        profile.as(MERCHANT));
    }
}
