package dev.vigil.featurelake.bronze;

import dev.vigil.core.event.Label;
import dev.vigil.core.event.LabelSource;
import dev.vigil.core.profile.CardProfileBuilder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The bronze row of a {@link Label}. A label's own event is its arrival, so the table is partitioned
 * by {@code label_date} (the UTC date it became known); {@code event_date} is the labelled
 * authorization's date. "Known at D" means {@code label_date <= D}.
 */
public final class LabelRows {

    public static final StructType SCHEMA = new StructType()
            .add("label_id", DataTypes.StringType, false)
            .add("authorization_id", DataTypes.StringType, false)
            .add("card_token", DataTypes.StringType, false)
            .add("fraud", DataTypes.BooleanType, false)
            .add("source", DataTypes.StringType, false)
            .add("label_time_ms", DataTypes.LongType, false)
            .add("event_time_ms", DataTypes.LongType, false)
            .add("analyst", DataTypes.StringType)
            .add("event_date", DataTypes.DateType, false)
            .add("label_date", DataTypes.DateType, false)
            // Added after the first tables were written: last, nullable, and added to older tables on landing.
            .add("merchant_id", DataTypes.StringType);

    private LabelRows() {
    }

    public static Object[] values(Label l) {
        return new Object[]{l.labelId(), l.authorizationId(), l.cardToken(), l.fraud(), l.source().name(),
                l.labelTimeMs(), l.eventTimeMs(), l.analyst(), CardProfileBuilder.eventDate(l.eventTimeMs()),
                CardProfileBuilder.eventDate(l.labelTimeMs()), l.merchantId()};
    }

    public static Label fromRow(Row r) {
        return new Label(r.getAs("label_id"), r.getAs("authorization_id"), r.getAs("card_token"),
                r.getAs("merchant_id"), r.<Boolean>getAs("fraud"), LabelSource.valueOf(r.getAs("source")), r.<Long>getAs("label_time_ms"),
                r.<Long>getAs("event_time_ms"), r.getAs("analyst"));
    }
}
