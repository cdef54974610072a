package dev.vigil.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.event.MerchantProfile;

import java.io.IOException;
import java.time.LocalDate;

/** JSON for {@link MerchantProfile}, schema {@code schemas/merchant-profile.v1.json}. */
public final class MerchantProfileCodec extends JsonCodec<MerchantProfile> {

    public static final MerchantProfileCodec INSTANCE = new MerchantProfileCodec();

    private static final FieldSet FIELDS = new FieldSet(
            "v", "merchant_id", "as_of", "txn_count_90d", "card_count_90d", "amount_mean_90d",
            "fraud_rate_90d", "compromise_score", "chargebacks_90d");

    private MerchantProfileCodec() {
        super("merchant profile", 4 * 1024);
    }

    @Override
    protected MerchantProfile read(JsonParser p) throws IOException {
        long seen = 0;
        String merchant = null;
        LocalDate asOf = null;
        int txns = 0, cards = 0, chargebacks = 0;
        double mean = 0, fraudRate = 0, compromise = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            int f = FIELDS.indexOf(p.currentName());
            seen = FIELDS.mark(seen, f);
            p.nextToken();
            switch (f) {
                case 0 -> Fields.integer(p, "v", MerchantProfile.SCHEMA_VERSION, MerchantProfile.SCHEMA_VERSION);
                case 1 -> merchant = Fields.string(p, "merchant_id", 1, 64, CharClass.PRINTABLE);
                case 2 -> asOf = Fields.date(p, "as_of");
                case 3 -> txns = (int) Fields.integer(p, "txn_count_90d", 0, Integer.MAX_VALUE);
                case 4 -> cards = (int) Fields.integer(p, "card_count_90d", 0, Integer.MAX_VALUE);
                case 5 -> mean = Fields.number(p, "amount_mean_90d", 0, 1e13);
                case 6 -> fraudRate = Fields.number(p, "fraud_rate_90d", 0, 1);
                case 7 -> compromise = Fields.number(p, "compromise_score", 0, 1);
                case 8 -> chargebacks = (int) Fields.integer(p, "chargebacks_90d", 0, Integer.MAX_VALUE);
                default -> throw new IllegalStateException("field table and switch disagree");
            }
        }
        FIELDS.requireAll(seen);
        return new MerchantProfile(merchant, asOf, txns, cards, mean, fraudRate, compromise, chargebacks);
    }

    @Override
    protected void write(MerchantProfile m, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("v", MerchantProfile.SCHEMA_VERSION);
        g.writeStringField("merchant_id", m.merchantId());
        g.writeStringField("as_of", m.asOf().toString());
        g.writeNumberField("txn_count_90d", m.txnCount90d());
        g.writeNumberField("card_count_90d", m.cardCount90d());
        g.writeNumberField("amount_mean_90d", m.amountMean90d());
        g.writeNumberField("fraud_rate_90d", m.fraudRate90d());
        g.writeNumberField("compromise_score", m.compromiseScore());
        g.writeNumberField("chargebacks_90d", m.chargebacks90d());
        g.writeEndObject();
    }
}
