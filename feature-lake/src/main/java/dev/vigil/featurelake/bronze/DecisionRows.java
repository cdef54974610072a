package dev.vigil.featurelake.bronze;

import dev.vigil.core.event.Decision;
import dev.vigil.core.profile.CardProfileBuilder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The bronze row of a {@link Decision}, partitioned by the decided authorization's event date. */
public final class DecisionRows {

    public static final StructType SCHEMA = new StructType()
            .add("authorization_id", DataTypes.StringType, false)
            .add("card_token", DataTypes.StringType, false)
            .add("score", DataTypes.FloatType, false)
            .add("action", DataTypes.StringType, false)
            .add("reasons", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("model_version", DataTypes.StringType)
            .add("profile_as_of", DataTypes.StringType)
            .add("card_auth_count", DataTypes.LongType, false)
            .add("card_last_seq", DataTypes.LongType, false)
            .add("event_time_ms", DataTypes.LongType, false)
            .add("decided_at_ms", DataTypes.LongType, false)
            .add("processing_micros", DataTypes.LongType, false)
            .add("event_date", DataTypes.DateType, false);

    private DecisionRows() {
    }

    public static Object[] values(Decision d) {
        return new Object[]{d.authorizationId(), d.cardToken(), d.score(), d.action().name(),
                scala.jdk.javaapi.CollectionConverters.asScala(d.reasons()).toSeq(), d.modelVersion(),
                d.profileAsOf(), d.cardAuthCount(), d.cardLastSeq(), d.eventTimeMs(), d.decidedAtMs(),
                d.processingMicros(), CardProfileBuilder.eventDate(d.eventTimeMs())};
    }
}
