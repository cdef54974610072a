package dev.vigil.featurelake.profiles;

import dev.vigil.core.event.CardProfile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code card_profiles} row of a {@link CardProfile}. MCC means are stored as a list sorted by
 * MCC (maps have no stable order and cannot be compared by Spark), and {@code content_hash} covers
 * every field but {@code as_of}, so "changed since the previous night" is a hash comparison.
 */
public final class CardProfileRows {

    public static final StructType MCC_MEAN = new StructType()
            .add("mcc", DataTypes.StringType, false)
            .add("amount_mean", DataTypes.DoubleType, false);

    public static final StructType SCHEMA = new StructType()
            .add("card_token", DataTypes.StringType, false)
            .add("as_of", DataTypes.DateType, false)
            .add("txn_count_30d", DataTypes.IntegerType, false)
            .add("amount_mean_30d", DataTypes.DoubleType, false)
            .add("amount_std_30d", DataTypes.DoubleType, false)
            .add("txn_count_90d", DataTypes.IntegerType, false)
            .add("amount_mean_90d", DataTypes.DoubleType, false)
            .add("amount_std_90d", DataTypes.DoubleType, false)
            .add("hour_share_90d", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("mcc_amount_mean_90d", DataTypes.createArrayType(MCC_MEAN, false), false)
            .add("top_countries", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("top_merchants", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("home_lat", DataTypes.DoubleType)
            .add("home_lon", DataTypes.DoubleType)
            .add("chargebacks_365d", DataTypes.IntegerType, false)
            .add("last_chargeback_date", DataTypes.DateType)
            .add("content_hash", DataTypes.StringType, false);

    private CardProfileRows() {
    }

    public static Row toRow(CardProfile p) {
        List<Float> hours = new ArrayList<>(24);
        for (float h : p.hourShare90d()) {
            hours.add(h);
        }
        List<Row> mccs = new ArrayList<>();
        new TreeMap<>(p.mccAmountMean90d()).forEach((mcc, mean) -> mccs.add(RowFactory.create(mcc, mean)));
        Double lat = Double.isNaN(p.homeLat()) ? null : p.homeLat();
        Double lon = Double.isNaN(p.homeLon()) ? null : p.homeLon();
        Object[] content = {p.cardToken(), p.txnCount30d(), p.amountMean30d(), p.amountStd30d(), p.txnCount90d(),
                p.amountMean90d(), p.amountStd90d(), hours, mccs, p.topCountries(), p.topMerchants(), lat, lon,
                p.chargebacks365d(), p.lastChargebackDate()};
        // With its schema, so the row reads back by column name (fromRow) outside a Dataset too.
        return new GenericRowWithSchema(new Object[]{p.cardToken(), p.asOf(), p.txnCount30d(), p.amountMean30d(),
                p.amountStd30d(), p.txnCount90d(), p.amountMean90d(), p.amountStd90d(), seq(hours), seq(mccs),
                seq(p.topCountries()), seq(p.topMerchants()), lat, lon, p.chargebacks365d(), p.lastChargebackDate(),
                hash(content)}, SCHEMA);
    }

    public static CardProfile fromRow(Row r) {
        List<Float> hourList = r.getList(r.fieldIndex("hour_share_90d"));
        float[] hours = new float[24];
        for (int h = 0; h < hourList.size() && h < 24; h++) {
            hours[h] = hourList.get(h);
        }
        Map<String, Double> mccs = new HashMap<>();
        for (Row m : r.<Row>getList(r.fieldIndex("mcc_amount_mean_90d"))) {
            mccs.put(m.getString(0), m.getDouble(1));
        }
        Double lat = r.getAs("home_lat"), lon = r.getAs("home_lon");
        return new CardProfile(r.getAs("card_token"), r.<LocalDate>getAs("as_of"), r.<Integer>getAs("txn_count_30d"),
                r.<Double>getAs("amount_mean_30d"), r.<Double>getAs("amount_std_30d"),
                r.<Integer>getAs("txn_count_90d"), r.<Double>getAs("amount_mean_90d"),
                r.<Double>getAs("amount_std_90d"), hours, mccs, r.getList(r.fieldIndex("top_countries")),
                r.getList(r.fieldIndex("top_merchants")), lat == null ? Double.NaN : lat,
                lon == null ? Double.NaN : lon, r.<Integer>getAs("chargebacks_365d"),
                r.getAs("last_chargeback_date"));
    }

    private static <T> Seq<T> seq(List<T> values) {
        return CollectionConverters.asScala(values).toSeq();
    }

    /** SHA-256 of the values' text: Java's number and list printing is exact and stable. */
    static String hash(Object[] content) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(
                    java.util.Arrays.deepToString(content).getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
