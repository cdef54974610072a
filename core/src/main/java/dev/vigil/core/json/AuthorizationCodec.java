package dev.vigil.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Channel;
import dev.vigil.core.event.EntryMode;

import java.io.IOException;
import java.util.Map;

/** JSON for {@link Authorization}, schema {@code schemas/authorization.v1.json}. */
public final class AuthorizationCodec extends JsonCodec<Authorization> {

    public static final AuthorizationCodec INSTANCE = new AuthorizationCodec();

    private static final FieldSet FIELDS = new FieldSet(
            "v", "authorization_id", "card_token", "token_key_id", "bin?", "last4?", "pan_length?",
            "amount_minor", "currency", "billing_amount_minor", "billing_currency", "merchant_id",
            "mcc?", "merchant_country?", "merchant_lat?", "merchant_lon?", "utc_offset_minutes?",
            "channel", "entry_mode?", "host_decline?", "event_time_ms", "card_seq", "next_card_token?",
            "next_token_key_id?");
    private static final Map<String, Channel> CHANNELS = Fields.lookup(Channel.class);
    private static final Map<String, EntryMode> ENTRY_MODES = Fields.lookup(EntryMode.class);

    private AuthorizationCodec() {
        super("authorization", 16 * 1024);
    }

    @Override
    protected Authorization read(JsonParser p) throws IOException {
        long seen = 0;
        String id = null, token = null, keyId = null, bin = null, last4 = null, currency = null,
                billingCurrency = null, merchant = null, mcc = null, country = null, decline = null,
                nextToken = null, nextKeyId = null;
        int panLength = 0, offset = Authorization.NO_UTC_OFFSET;
        long amount = 0, billing = 0, time = 0, seq = 0;
        double lat = Double.NaN, lon = Double.NaN;
        Channel channel = null;
        EntryMode entryMode = EntryMode.UNKNOWN;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            int f = FIELDS.indexOf(p.currentName());
            seen = FIELDS.mark(seen, f);
            p.nextToken();
            switch (f) {
                case 0 -> Fields.integer(p, "v", Authorization.SCHEMA_VERSION, Authorization.SCHEMA_VERSION);
                case 1 -> id = Fields.string(p, "authorization_id", 1, 64, CharClass.ID);
                case 2 -> token = Fields.string(p, "card_token", 16, 128, CharClass.TOKEN);
                case 3 -> keyId = Fields.string(p, "token_key_id", 1, 32, CharClass.NAME);
                case 4 -> bin = Fields.optString(p, "bin", 6, 8, CharClass.DIGIT);
                case 5 -> last4 = Fields.optString(p, "last4", 4, 4, CharClass.DIGIT);
                case 6 -> panLength = Fields.optInt(p, "pan_length", 0, 19, 0);
                case 7 -> amount = Fields.integer(p, "amount_minor", 0, Fields.MAX_AMOUNT_MINOR);
                case 8 -> currency = Fields.string(p, "currency", 3, 3, CharClass.UPPER);
                case 9 -> billing = Fields.integer(p, "billing_amount_minor", 0, Fields.MAX_AMOUNT_MINOR);
                case 10 -> billingCurrency = Fields.string(p, "billing_currency", 3, 3, CharClass.UPPER);
                case 11 -> merchant = Fields.string(p, "merchant_id", 1, 64, CharClass.PRINTABLE);
                case 12 -> mcc = Fields.optString(p, "mcc", 4, 4, CharClass.DIGIT);
                case 13 -> country = Fields.optString(p, "merchant_country", 2, 2, CharClass.UPPER);
                case 14 -> lat = Fields.optNumber(p, "merchant_lat", -90, 90);
                case 15 -> lon = Fields.optNumber(p, "merchant_lon", -180, 180);
                case 16 -> offset = Fields.optInt(p, "utc_offset_minutes", -720, 840, Authorization.NO_UTC_OFFSET);
                case 17 -> channel = Fields.enumValue(p, "channel", CHANNELS);
                case 18 -> entryMode = p.currentToken() == JsonToken.VALUE_NULL
                        ? EntryMode.UNKNOWN : Fields.enumValue(p, "entry_mode", ENTRY_MODES);
                case 19 -> decline = Fields.optString(p, "host_decline", 1, 32, CharClass.CODE);
                case 20 -> time = Fields.timeMs(p, "event_time_ms");
                case 21 -> seq = Fields.integer(p, "card_seq", 0, Fields.MAX_SAFE_INT);
                case 22 -> nextToken = Fields.string(p, "next_card_token", 16, 128, CharClass.TOKEN);
                case 23 -> nextKeyId = Fields.string(p, "next_token_key_id", 1, 32, CharClass.NAME);
                default -> throw new IllegalStateException("field table and switch disagree");
            }
        }
        FIELDS.requireAll(seen);
        if (panLength != 0 && (panLength < 12)) {
            throw new Reject("'pan_length' must be 0 (opaque card id) or 12..19");
        }
        if ((nextToken == null) != (nextKeyId == null)) {
            throw new Reject("'next_card_token' and 'next_token_key_id' come together or not at all");
        }
        if (nextKeyId != null && (nextKeyId.equals(keyId) || nextToken.equals(token))) {
            throw new Reject("'next_token_key_id' and 'next_card_token' must name another key and token than "
                    + "'token_key_id' and 'card_token'");
        }
        return new Authorization(id, token, keyId, bin, last4, panLength, amount, currency, billing,
                billingCurrency, merchant, mcc, country, lat, lon, offset, channel, entryMode, decline, time, seq,
                nextToken, nextKeyId);
    }

    @Override
    protected void write(Authorization a, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("v", Authorization.SCHEMA_VERSION);
        g.writeStringField("authorization_id", a.authorizationId());
        g.writeStringField("card_token", a.cardToken());
        g.writeStringField("token_key_id", a.tokenKeyId());
        Fields.optString(g, "bin", a.bin());
        Fields.optString(g, "last4", a.last4());
        if (a.panLength() != 0) {
            g.writeNumberField("pan_length", a.panLength());
        }
        g.writeNumberField("amount_minor", a.amountMinor());
        g.writeStringField("currency", a.currency());
        g.writeNumberField("billing_amount_minor", a.billingAmountMinor());
        g.writeStringField("billing_currency", a.billingCurrency());
        g.writeStringField("merchant_id", a.merchantId());
        Fields.optString(g, "mcc", a.mcc());
        Fields.optString(g, "merchant_country", a.merchantCountry());
        Fields.optNumber(g, "merchant_lat", a.merchantLat());
        Fields.optNumber(g, "merchant_lon", a.merchantLon());
        if (a.hasUtcOffset()) {
            g.writeNumberField("utc_offset_minutes", a.utcOffsetMinutes());
        }
        g.writeStringField("channel", a.channel().name());
        g.writeStringField("entry_mode", a.entryMode().name());
        Fields.optString(g, "host_decline", a.hostDecline());
        g.writeNumberField("event_time_ms", a.eventTimeMs());
        g.writeNumberField("card_seq", a.cardSeq());
        Fields.optString(g, "next_card_token", a.nextCardToken());
        Fields.optString(g, "next_token_key_id", a.nextTokenKeyId());
        g.writeEndObject();
    }

    /**
     * The record's top-level {@code event_time_ms}, read without decoding the rest, or
     * {@link Long#MIN_VALUE} when the record has none that is valid (the record then fails
     * {@link #decode} too). Sources stamp each record with it before anything else reads them, so
     * each Kafka partition keeps its own watermark: a reader that interleaves partitions (a backlog
     * after an outage) does not take the slower partition's records for late ones.
     */
    public static long eventTimeMs(byte[] json) {
        if (json == null || json.length == 0 || json.length > INSTANCE.maxBytes()) {
            return Long.MIN_VALUE;
        }
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Long.MIN_VALUE;
            }
            long time = Long.MIN_VALUE;
            boolean seen = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = "event_time_ms".equals(p.currentName());
                p.nextToken();
                if (wanted) {
                    if (seen) {
                        return Long.MIN_VALUE; // decode refuses a repeated field; so must the watermark
                    }
                    seen = true;
                    time = Fields.timeMs(p, "event_time_ms");
                } else {
                    p.skipChildren();
                }
            }
            return time;
        } catch (IOException | RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }

    /** Reads an authorization nested in another record (alerts embed one). */
    Authorization readNested(JsonParser p, String field) throws IOException {
        Fields.expectObject(p, field);
        return read(p);
    }

    void writeNested(Authorization a, JsonGenerator g) throws IOException {
        write(a, g);
    }
}
