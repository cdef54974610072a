package dev.vigil.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.event.CardProfile;

import java.io.IOException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** JSON for {@link CardProfile}, schema {@code schemas/card-profile.v1.json}. */
public final class CardProfileCodec extends JsonCodec<CardProfile> {

    public static final CardProfileCodec INSTANCE = new CardProfileCodec();
    private static final double MAX_AMOUNT = 1e13;

    private static final FieldSet FIELDS = new FieldSet(
            "v", "card_token", "as_of", "txn_count_30d", "amount_mean_30d", "amount_std_30d",
            "txn_count_90d", "amount_mean_90d", "amount_std_90d", "hour_share_90d", "mcc_amount_mean_90d",
            "top_countries", "top_merchants", "home_lat?", "home_lon?", "chargebacks_365d",
            "last_chargeback_date?");

    private CardProfileCodec() {
        super("card profile", 16 * 1024);
    }

    @Override
    protected CardProfile read(JsonParser p) throws IOException {
        long seen = 0;
        String token = null;
        LocalDate asOf = null, lastChargeback = null;
        int count30 = 0, count90 = 0, chargebacks = 0;
        double mean30 = 0, std30 = 0, mean90 = 0, std90 = 0, homeLat = Double.NaN, homeLon = Double.NaN;
        float[] hours = null;
        Map<String, Double> mccMeans = Map.of();
        List<String> countries = List.of(), merchants = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            int f = FIELDS.indexOf(p.currentName());
            seen = FIELDS.mark(seen, f);
            p.nextToken();
            switch (f) {
                case 0 -> Fields.integer(p, "v", CardProfile.SCHEMA_VERSION, CardProfile.SCHEMA_VERSION);
                case 1 -> token = Fields.string(p, "card_token", 16, 128, CharClass.TOKEN);
                case 2 -> asOf = Fields.date(p, "as_of");
                case 3 -> count30 = (int) Fields.integer(p, "txn_count_30d", 0, Integer.MAX_VALUE);
                case 4 -> mean30 = Fields.number(p, "amount_mean_30d", 0, MAX_AMOUNT);
                case 5 -> std30 = Fields.number(p, "amount_std_30d", 0, MAX_AMOUNT);
                case 6 -> count90 = (int) Fields.integer(p, "txn_count_90d", 0, Integer.MAX_VALUE);
                case 7 -> mean90 = Fields.number(p, "amount_mean_90d", 0, MAX_AMOUNT);
                case 8 -> std90 = Fields.number(p, "amount_std_90d", 0, MAX_AMOUNT);
                case 9 -> hours = readHours(p);
                case 10 -> mccMeans = readMccMeans(p);
                case 11 -> countries = Fields.strings(p, "top_countries", CardProfile.MAX_COUNTRIES, 2, 2, CharClass.UPPER);
                case 12 -> merchants = Fields.strings(p, "top_merchants", CardProfile.MAX_MERCHANTS, 1, 64, CharClass.PRINTABLE);
                case 13 -> homeLat = Fields.optNumber(p, "home_lat", -90, 90);
                case 14 -> homeLon = Fields.optNumber(p, "home_lon", -180, 180);
                case 15 -> chargebacks = (int) Fields.integer(p, "chargebacks_365d", 0, Integer.MAX_VALUE);
                case 16 -> lastChargeback = Fields.optDate(p, "last_chargeback_date");
                default -> throw new IllegalStateException("field table and switch disagree");
            }
        }
        FIELDS.requireAll(seen);
        return new CardProfile(token, asOf, count30, mean30, std30, count90, mean90, std90, hours, mccMeans,
                countries, merchants, homeLat, homeLon, chargebacks, lastChargeback);
    }

    private static float[] readHours(JsonParser p) throws IOException {
        Fields.expectArray(p, "hour_share_90d");
        float[] hours = new float[24];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == 24) {
                throw new Reject("'hour_share_90d' must have exactly 24 items");
            }
            Fields.number(p, "hour_share_90d[]", 0, 1);
            hours[n++] = p.getFloatValue();
        }
        if (n != 24) {
            throw new Reject("'hour_share_90d' must have exactly 24 items");
        }
        return hours;
    }

    private static Map<String, Double> readMccMeans(JsonParser p) throws IOException {
        Fields.expectObject(p, "mcc_amount_mean_90d");
        Map<String, Double> out = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String mcc = p.currentName();
            if (mcc.length() != 4 || !CharClass.DIGIT.allowsAll(mcc)) {
                throw new Reject("'mcc_amount_mean_90d' keys must be 4-digit MCCs");
            }
            if (out.size() == CardProfile.MAX_MCCS) {
                throw new Reject("'mcc_amount_mean_90d' has more than " + CardProfile.MAX_MCCS + " entries");
            }
            p.nextToken();
            if (out.put(mcc, Fields.number(p, "mcc_amount_mean_90d." + mcc, 0, MAX_AMOUNT)) != null) {
                throw new Reject("duplicate MCC in 'mcc_amount_mean_90d'");
            }
        }
        return out;
    }

    @Override
    protected void write(CardProfile c, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("v", CardProfile.SCHEMA_VERSION);
        g.writeStringField("card_token", c.cardToken());
        g.writeStringField("as_of", c.asOf().toString());
        g.writeNumberField("txn_count_30d", c.txnCount30d());
        g.writeNumberField("amount_mean_30d", c.amountMean30d());
        g.writeNumberField("amount_std_30d", c.amountStd30d());
        g.writeNumberField("txn_count_90d", c.txnCount90d());
        g.writeNumberField("amount_mean_90d", c.amountMean90d());
        g.writeNumberField("amount_std_90d", c.amountStd90d());
        g.writeArrayFieldStart("hour_share_90d");
        for (float h : c.hourShare90d()) {
            g.writeNumber(h);
        }
        g.writeEndArray();
        g.writeObjectFieldStart("mcc_amount_mean_90d");
        for (Map.Entry<String, Double> e : new TreeMap<>(c.mccAmountMean90d()).entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        Fields.strings(g, "top_countries", c.topCountries());
        Fields.strings(g, "top_merchants", c.topMerchants());
        Fields.optNumber(g, "home_lat", c.homeLat());
        Fields.optNumber(g, "home_lon", c.homeLon());
        g.writeNumberField("chargebacks_365d", c.chargebacks365d());
        if (c.lastChargebackDate() != null) {
            g.writeStringField("last_chargeback_date", c.lastChargebackDate().toString());
        }
        g.writeEndObject();
    }
}
