package dev.vigil.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.event.Alert;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Channel;
import dev.vigil.core.event.Decision;
import dev.vigil.core.event.RecentAuthorization;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JSON for {@link Alert}, schema {@code schemas/alert.v1.json}; embeds an authorization and a decision. */
public final class AlertCodec extends JsonCodec<Alert> {

    public static final AlertCodec INSTANCE = new AlertCodec();
    public static final int MAX_RELATED = 64;
    public static final int MAX_RECENT = 16;

    private static final FieldSet FIELDS = new FieldSet(
            "v", "alert_id", "kind", "card_token", "created_at_ms", "authorization", "decision?",
            "related_authorization_ids", "recent");
    private static final FieldSet RECENT_FIELDS = new FieldSet(
            "authorization_id", "event_time_ms", "billing_amount_minor", "billing_currency", "merchant_id",
            "mcc?", "merchant_country?", "channel", "host_decline?");
    private static final Map<String, Channel> CHANNELS = Fields.lookup(Channel.class);

    private AlertCodec() {
        super("alert", 64 * 1024);
    }

    @Override
    protected Alert read(JsonParser p) throws IOException {
        long seen = 0;
        String id = null, kind = null, token = null;
        long created = 0;
        Authorization authorization = null;
        Decision decision = null;
        List<String> related = List.of();
        List<RecentAuthorization> recent = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            int f = FIELDS.indexOf(p.currentName());
            seen = FIELDS.mark(seen, f);
            p.nextToken();
            switch (f) {
                case 0 -> Fields.integer(p, "v", Alert.SCHEMA_VERSION, Alert.SCHEMA_VERSION);
                case 1 -> id = Fields.string(p, "alert_id", 1, 64, CharClass.ID);
                case 2 -> kind = Fields.string(p, "kind", 1, 48, CharClass.CODE);
                case 3 -> token = Fields.string(p, "card_token", 16, 128, CharClass.TOKEN);
                case 4 -> created = Fields.timeMs(p, "created_at_ms");
                case 5 -> authorization = AuthorizationCodec.INSTANCE.readNested(p, "authorization");
                case 6 -> decision = p.currentToken() == JsonToken.VALUE_NULL
                        ? null : DecisionCodec.INSTANCE.readNested(p, "decision");
                case 7 -> related = Fields.strings(p, "related_authorization_ids", MAX_RELATED, 1, 64, CharClass.ID);
                case 8 -> recent = readRecent(p);
                default -> throw new IllegalStateException("field table and switch disagree");
            }
        }
        FIELDS.requireAll(seen);
        return new Alert(id, kind, token, created, authorization, decision, related, recent);
    }

    private static List<RecentAuthorization> readRecent(JsonParser p) throws IOException {
        Fields.expectArray(p, "recent");
        List<RecentAuthorization> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (out.size() == MAX_RECENT) {
                throw new Reject("'recent' has more than " + MAX_RECENT + " items");
            }
            Fields.expectObject(p, "recent[]");
            long seen = 0;
            String id = null, currency = null, merchant = null, mcc = null, country = null, decline = null;
            long time = 0, amount = 0;
            Channel channel = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                int f = RECENT_FIELDS.indexOf(p.currentName());
                seen = RECENT_FIELDS.mark(seen, f);
                p.nextToken();
                switch (f) {
                    case 0 -> id = Fields.string(p, "authorization_id", 1, 64, CharClass.ID);
                    case 1 -> time = Fields.timeMs(p, "event_time_ms");
                    case 2 -> amount = Fields.integer(p, "billing_amount_minor", 0, Fields.MAX_AMOUNT_MINOR);
                    case 3 -> currency = Fields.string(p, "billing_currency", 3, 3, CharClass.UPPER);
                    case 4 -> merchant = Fields.string(p, "merchant_id", 1, 64, CharClass.PRINTABLE);
                    case 5 -> mcc = Fields.optString(p, "mcc", 4, 4, CharClass.DIGIT);
                    case 6 -> country = Fields.optString(p, "merchant_country", 2, 2, CharClass.UPPER);
                    case 7 -> channel = Fields.enumValue(p, "channel", CHANNELS);
                    case 8 -> decline = Fields.optString(p, "host_decline", 1, 32, CharClass.CODE);
                    default -> throw new IllegalStateException("field table and switch disagree");
                }
            }
            RECENT_FIELDS.requireAll(seen);
            out.add(new RecentAuthorization(id, time, amount, currency, merchant, mcc, country, channel, decline));
        }
        return out;
    }

    @Override
    protected void write(Alert a, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("v", Alert.SCHEMA_VERSION);
        g.writeStringField("alert_id", a.alertId());
        g.writeStringField("kind", a.kind());
        g.writeStringField("card_token", a.cardToken());
        g.writeNumberField("created_at_ms", a.createdAtMs());
        g.writeFieldName("authorization");
        AuthorizationCodec.INSTANCE.writeNested(a.authorization(), g);
        if (a.decision() != null) {
            g.writeFieldName("decision");
            DecisionCodec.INSTANCE.writeNested(a.decision(), g);
        }
        Fields.strings(g, "related_authorization_ids", a.relatedAuthorizationIds());
        g.writeArrayFieldStart("recent");
        for (RecentAuthorization r : a.recent()) {
            g.writeStartObject();
            g.writeStringField("authorization_id", r.authorizationId());
            g.writeNumberField("event_time_ms", r.eventTimeMs());
            g.writeNumberField("billing_amount_minor", r.billingAmountMinor());
            g.writeStringField("billing_currency", r.billingCurrency());
            g.writeStringField("merchant_id", r.merchantId());
            Fields.optString(g, "mcc", r.mcc());
            Fields.optString(g, "merchant_country", r.merchantCountry());
            g.writeStringField("channel", r.channel().name());
            Fields.optString(g, "host_decline", r.hostDecline());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
