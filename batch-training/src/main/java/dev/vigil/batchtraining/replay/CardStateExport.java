package dev.vigil.batchtraining.replay;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.feature.CardFold;
import dev.vigil.core.feature.CardState;
import dev.vigil.core.feature.CardStateLine;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.bronze.AuthorizationRows;
import dev.vigil.featurelake.bronze.BronzeStream;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Every card's state after folding its bronze authorizations up to the end of day D, in arrival
 * order, through core's fold (the replay's order), written for the scoring job's state bootstrap:
 * text files of {@link CardStateLine}s, one per card, under one folder.
 *
 * <p>How close to the job's own state: bronze keeps each authorization id once, so a resend is
 * never folded here; the job folds a resend again only when the card has folded more than 32 other
 * authorizations since (its duplicate rule remembers 32 ids). Cards whose state has expired by the
 * end of D are left out: the job's expiry timer would clear them as soon as it starts.
 */
public final class CardStateExport {
    private CardStateExport() {
    }

    /** The folded state of every card with an authorization up to {@code through} and not expired by its end, one line per card. */
    public static Dataset<String> lines(SparkSession spark, Lake lake, LocalDate through) {
        Dataset<Row> auths = spark.read().format("delta").load(lake.bronze(BronzeStream.AUTHORIZATIONS.table()))
                .filter(col("event_date").leq(through));
        MapFunction<Row, String> byCard = r -> r.getAs("card_token");
        long endOfDay = through.plusDays(1).toEpochDay() * 86_400_000L;
        FlatMapGroupsFunction<String, Row, String> fold = (token, rows) -> {
            List<Row> ordered = new ArrayList<>();
            rows.forEachRemaining(ordered::add);
            ordered.sort(FeatureReplay.ARRIVAL);
            CardState state = new CardState();
            float[] discarded = FeatureSet.newVector();
            for (Row r : ordered) {
                Authorization a = AuthorizationRows.fromRow(r);
                // Profiles only feed features, never the state, so none are needed here.
                CardFold.step(state, a, null, null, discarded);
            }
            if (state.expiresAtMs() < endOfDay) {
                return java.util.Collections.emptyIterator();
            }
            return List.of(new CardStateLine(token, state).encode()).iterator();
        };
        return auths.groupByKey(byCard, Encoders.STRING()).flatMapGroups(fold, Encoders.STRING());
    }

    /** Writes {@link #lines} to {@code out} (replacing what is there); returns the number of cards. */
    public static long write(SparkSession spark, Lake lake, LocalDate through, String out) {
        Dataset<String> lines = lines(spark, lake, through).cache();
        try {
            long cards = lines.count();
            lines.write().mode(SaveMode.Overwrite).text(out);
            return cards;
        } finally {
            lines.unpersist();
        }
    }
}
