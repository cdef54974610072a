package dev.vigil.featurelake.bronze;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Channel;
import dev.vigil.core.event.EntryMode;
import dev.vigil.core.profile.CardProfileBuilder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The bronze row of an {@link Authorization}: every contract field (unknown values as SQL null),
 * then the event date it is partitioned by. The one mapping between the record and the lake, used
 * by landing here and by the training replay.
 */
public final class AuthorizationRows {

    /** Contract columns, in order; bronze adds {@link Bronze#ARRIVAL_COLUMNS} after them. */
    public static final StructType SCHEMA = new StructType()
            .add("authorization_id", DataTypes.StringType, false)
            .add("card_token", DataTypes.StringType, false)
            .add("token_key_id", DataTypes.StringType, false)
            .add("bin", DataTypes.StringType)
            .add("last4", DataTypes.StringType)
            .add("pan_length", DataTypes.IntegerType, false)
            .add("amount_minor", DataTypes.LongType, false)
            .add("currency", DataTypes.StringType, false)
            .add("billing_amount_minor", DataTypes.LongType, false)
            .add("billing_currency", DataTypes.StringType, false)
            .add("merchant_id", DataTypes.StringType, false)
            .add("mcc", DataTypes.StringType)
            .add("merchant_country", DataTypes.StringType)
            .add("merchant_lat", DataTypes.DoubleType)
            .add("merchant_lon", DataTypes.DoubleType)
            .add("utc_offset_minutes", DataTypes.IntegerType)
            .add("channel", DataTypes.StringType, false)
            .add("entry_mode", DataTypes.StringType, false)
            .add("host_decline", DataTypes.StringType)
            .add("event_time_ms", DataTypes.LongType, false)
            .add("card_seq", DataTypes.LongType, false)
            .add("next_card_token", DataTypes.StringType)
            .add("next_token_key_id", DataTypes.StringType)
            .add("event_date", DataTypes.DateType, false);

    private AuthorizationRows() {
    }

    public static Object[] values(Authorization a) {
        return new Object[]{a.authorizationId(), a.cardToken(), a.tokenKeyId(), a.bin(), a.last4(), a.panLength(),
                a.amountMinor(), a.currency(), a.billingAmountMinor(), a.billingCurrency(), a.merchantId(), a.mcc(),
                a.merchantCountry(), a.hasLocation() ? a.merchantLat() : null, a.hasLocation() ? a.merchantLon() : null,
                a.hasUtcOffset() ? a.utcOffsetMinutes() : null, a.channel().name(), a.entryMode().name(),
                a.hostDecline(), a.eventTimeMs(), a.cardSeq(), a.nextCardToken(), a.nextTokenKeyId(),
                CardProfileBuilder.eventDate(a.eventTimeMs())};
    }

    /** Reads the contract columns by name, so any projection that keeps them works. */
    public static Authorization fromRow(Row r) {
        return new Authorization(r.getAs("authorization_id"), r.getAs("card_token"), r.getAs("token_key_id"),
                r.getAs("bin"), r.getAs("last4"), r.<Integer>getAs("pan_length"), r.<Long>getAs("amount_minor"),
                r.getAs("currency"), r.<Long>getAs("billing_amount_minor"), r.getAs("billing_currency"),
                r.getAs("merchant_id"), r.getAs("mcc"), r.getAs("merchant_country"),
                orNaN(r, "merchant_lat"), orNaN(r, "merchant_lon"), offset(r),
                Channel.valueOf(r.getAs("channel")), EntryMode.valueOf(r.getAs("entry_mode")), r.getAs("host_decline"),
                r.<Long>getAs("event_time_ms"), r.<Long>getAs("card_seq"), optional(r, "next_card_token"),
                optional(r, "next_token_key_id"));
    }

    /** A column a projection or an older table may lack: null then. */
    private static String optional(Row r, String column) {
        return r.schema().getFieldIndex(column).isDefined() ? r.getAs(column) : null;
    }

    private static double orNaN(Row r, String column) {
        Object v = r.getAs(column);
        return v == null ? Double.NaN : (Double) v;
    }

    private static int offset(Row r) {
        Object v = r.getAs("utc_offset_minutes");
        return v == null ? Authorization.NO_UTC_OFFSET : (Integer) v;
    }
}
