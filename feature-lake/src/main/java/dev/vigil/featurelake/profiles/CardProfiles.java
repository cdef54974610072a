package dev.vigil.featurelake.profiles;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.CardProfile;
import dev.vigil.core.profile.CardProfileBuilder;
import dev.vigil.core.profile.CardProfileBuilder.Chargeback;
import dev.vigil.featurelake.bronze.AuthorizationRows;
import org.apache.spark.api.java.function.CoGroupFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Card profiles for the nights D of a run: per card and night, core's {@link CardProfileBuilder} over
 * the card's bronze authorizations of the 90 days up to D and the chargebacks known at D (label_date
 * <= D) on its authorizations of the last 365 days. Each card's rows are grouped once for all nights
 * (the builder ignores what lies outside a night's window), so a backfill of N nights shuffles bronze
 * once, not N times. Spark only groups; the definition lives in core.
 */
public final class CardProfiles {

    private CardProfiles() {
    }

    /**
     * {@code authorizations}: bronze rows covering at least the 90 days before the first night up to
     * the last; {@code labels}: the labels table. One row per card and night with a profile.
     */
    public static Dataset<Row> compute(Dataset<Row> authorizations, Dataset<Row> labels, List<LocalDate> nights) {
        LocalDate first = nights.get(0), last = nights.get(nights.size() - 1);
        Dataset<Row> auths = authorizations
                .filter(col("event_date").between(first.minusDays(CardProfileBuilder.WINDOW_90D - 1), last));
        Dataset<Row> chargebacks = labels
                .filter(col("label_date").leq(last)
                        .and(col("event_date").gt(first.minusDays(CardProfileBuilder.CHARGEBACK_WINDOW_DAYS)))
                        .and(col("source").equalTo("CHARGEBACK")).and(col("fraud")))
                .select("card_token", "event_date", "label_date");
        List<LocalDate> asOf = List.copyOf(nights);

        MapFunction<Row, String> card = r -> r.getAs("card_token");
        CoGroupFunction<String, Row, Row, Row> build = (token, authRows, chargebackRows) -> {
            List<Authorization> list = new ArrayList<>();
            authRows.forEachRemaining(r -> list.add(AuthorizationRows.fromRow(r)));
            List<Chargeback> known = new ArrayList<>();
            chargebackRows.forEachRemaining(r -> known.add(
                    new Chargeback(r.<LocalDate>getAs("event_date"), r.<LocalDate>getAs("label_date"))));
            List<Row> out = new ArrayList<>(asOf.size());
            for (LocalDate night : asOf) {
                CardProfile p = CardProfileBuilder.build(token, night, list, known);
                if (p != null) {
                    out.add(CardProfileRows.toRow(p));
                }
            }
            return out.iterator();
        };
        return auths.groupByKey(card, Encoders.STRING())
                .cogroup(chargebacks.groupByKey(card, Encoders.STRING()), build, Encoders.row(CardProfileRows.SCHEMA));
    }
}
