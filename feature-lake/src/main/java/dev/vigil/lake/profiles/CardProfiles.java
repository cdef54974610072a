package dev.vigil.lake.profiles;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.CardProfile;
import dev.vigil.core.profile.CardProfileBuilder;
import dev.vigil.core.profile.CardProfileBuilder.Chargeback;
import dev.vigil.lake.Lake;
import dev.vigil.lake.bronze.AuthorizationRows;
import dev.vigil.lake.bronze.BronzeStream;
import org.apache.spark.api.java.function.CoGroupFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Card profiles for logical date D: per card, core's {@link CardProfileBuilder} over the card's
 * bronze authorizations of the 90 days up to D and the chargebacks known at D (label_date <= D) on
 * its authorizations of the last 365 days. Spark only groups; the definition lives in core.
 */
public final class CardProfiles {

    private CardProfiles() {
    }

    public static Dataset<Row> compute(SparkSession spark, Lake lake, LocalDate asOf) {
        Dataset<Row> auths = spark.read().format("delta").load(lake.bronze(BronzeStream.AUTHORIZATIONS.table()))
                .filter(col("event_date").between(asOf.minusDays(CardProfileBuilder.WINDOW_90D - 1), asOf));
        Dataset<Row> chargebacks = spark.read().format("delta").load(lake.bronze(BronzeStream.LABELS.table()))
                .filter(col("label_date").leq(asOf)
                        .and(col("event_date").gt(asOf.minusDays(CardProfileBuilder.CHARGEBACK_WINDOW_DAYS)))
                        .and(col("source").equalTo("CHARGEBACK")).and(col("fraud")))
                .select("card_token", "event_date", "label_date");

        MapFunction<Row, String> card = r -> r.getAs("card_token");
        CoGroupFunction<String, Row, Row, Row> build = (token, authRows, chargebackRows) -> {
            List<Authorization> list = new ArrayList<>();
            authRows.forEachRemaining(r -> list.add(AuthorizationRows.fromRow(r)));
            List<Chargeback> known = new ArrayList<>();
            chargebackRows.forEachRemaining(r -> known.add(
                    new Chargeback(r.<LocalDate>getAs("event_date"), r.<LocalDate>getAs("label_date"))));
            CardProfile p = CardProfileBuilder.build(token, asOf, list, known);
            return p == null ? List.<Row>of().iterator() : List.of(CardProfileRows.toRow(p)).iterator();
        };
        return auths.groupByKey(card, Encoders.STRING())
                .cogroup(chargebacks.groupByKey(card, Encoders.STRING()), build, Encoders.row(CardProfileRows.SCHEMA));
    }
}
