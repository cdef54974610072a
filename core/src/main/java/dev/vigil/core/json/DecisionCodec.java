package dev.vigil.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.event.Action;
import dev.vigil.core.event.Decision;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** JSON for {@link Decision}, schema {@code schemas/decision.v1.json}. */
public final class DecisionCodec extends JsonCodec<Decision> {

    public static final DecisionCodec INSTANCE = new DecisionCodec();

    private static final FieldSet FIELDS = new FieldSet(
            "v", "authorization_id", "card_token", "score?", "action", "reasons", "model_version?",
            "profile_as_of?", "card_auth_count", "card_last_seq", "event_time_ms", "decided_at_ms",
            "processing_micros", "merchant_risk_as_of_ms?");
    private static final Map<String, Action> ACTIONS = Fields.lookup(Action.class);

    private DecisionCodec() {
        super("decision", 8 * 1024);
    }

    @Override
    protected Decision read(JsonParser p) throws IOException {
        long seen = 0;
        String id = null, token = null, model = null, asOf = null;
        float score = Float.NaN;
        Action action = null;
        List<String> reasons = List.of();
        long count = 0, lastSeq = 0, time = 0, decidedAt = 0, micros = 0, riskAsOf = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            int f = FIELDS.indexOf(p.currentName());
            seen = FIELDS.mark(seen, f);
            p.nextToken();
            switch (f) {
                case 0 -> Fields.integer(p, "v", Decision.SCHEMA_VERSION, Decision.SCHEMA_VERSION);
                case 1 -> id = Fields.string(p, "authorization_id", 1, 64, CharClass.ID);
                case 2 -> token = Fields.string(p, "card_token", 16, 128, CharClass.TOKEN);
                case 3 -> score = Fields.optFloat(p, "score", 0, 1);
                case 4 -> action = Fields.enumValue(p, "action", ACTIONS);
                case 5 -> reasons = Fields.strings(p, "reasons", 16, 1, 64, CharClass.REASON);
                case 6 -> model = Fields.optString(p, "model_version", 1, 64, CharClass.NAME);
                case 7 -> asOf = p.currentToken() == JsonToken.VALUE_NULL ? null : Fields.date(p, "profile_as_of").toString();
                case 8 -> count = Fields.integer(p, "card_auth_count", 0, Fields.MAX_SAFE_INT);
                case 9 -> lastSeq = Fields.integer(p, "card_last_seq", 0, Fields.MAX_SAFE_INT);
                case 10 -> time = Fields.timeMs(p, "event_time_ms");
                case 11 -> decidedAt = Fields.timeMs(p, "decided_at_ms");
                case 12 -> micros = Fields.integer(p, "processing_micros", 0, Fields.MAX_SAFE_INT);
                case 13 -> riskAsOf = p.currentToken() == JsonToken.VALUE_NULL ? 0 : Fields.timeMs(p, "merchant_risk_as_of_ms");
                default -> throw new IllegalStateException("field table and switch disagree");
            }
        }
        FIELDS.requireAll(seen);
        return new Decision(id, token, score, action, reasons, model, asOf, count, lastSeq, time, decidedAt, micros,
                riskAsOf);
    }

    @Override
    protected void write(Decision d, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("v", Decision.SCHEMA_VERSION);
        g.writeStringField("authorization_id", d.authorizationId());
        g.writeStringField("card_token", d.cardToken());
        if (!Float.isNaN(d.score())) {
            g.writeNumberField("score", d.score());
        }
        g.writeStringField("action", d.action().name());
        Fields.strings(g, "reasons", d.reasons());
        Fields.optString(g, "model_version", d.modelVersion());
        Fields.optString(g, "profile_as_of", d.profileAsOf());
        g.writeNumberField("card_auth_count", d.cardAuthCount());
        g.writeNumberField("card_last_seq", d.cardLastSeq());
        g.writeNumberField("event_time_ms", d.eventTimeMs());
        g.writeNumberField("decided_at_ms", d.decidedAtMs());
        g.writeNumberField("processing_micros", d.processingMicros());
        if (d.merchantRiskAsOfMs() > 0) {
            g.writeNumberField("merchant_risk_as_of_ms", d.merchantRiskAsOfMs());
        }
        g.writeEndObject();
    }

    Decision readNested(JsonParser p, String field) throws IOException {
        Fields.expectObject(p, field);
        return read(p);
    }

    void writeNested(Decision d, JsonGenerator g) throws IOException {
        write(d, g);
    }
}
