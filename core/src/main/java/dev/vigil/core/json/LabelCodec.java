package dev.vigil.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.event.Label;
import dev.vigil.core.event.LabelSource;

import java.io.IOException;
import java.util.Map;

/** JSON for {@link Label}, schema {@code schemas/label.v1.json}. */
public final class LabelCodec extends JsonCodec<Label> {

    public static final LabelCodec INSTANCE = new LabelCodec();

    private static final FieldSet FIELDS = new FieldSet(
            "v", "label_id", "authorization_id", "card_token", "fraud", "source", "label_time_ms",
            "event_time_ms", "analyst?", "merchant_id?");
    private static final Map<String, LabelSource> SOURCES = Fields.lookup(LabelSource.class);

    private LabelCodec() {
        super("label", 4 * 1024);
    }

    @Override
    protected Label read(JsonParser p) throws IOException {
        long seen = 0;
        String id = null, authId = null, token = null, analyst = null, merchant = null;
        boolean fraud = false;
        LabelSource source = null;
        long labelTime = 0, eventTime = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            int f = FIELDS.indexOf(p.currentName());
            seen = FIELDS.mark(seen, f);
            p.nextToken();
            switch (f) {
                case 0 -> Fields.integer(p, "v", Label.SCHEMA_VERSION, Label.SCHEMA_VERSION);
                case 1 -> id = Fields.string(p, "label_id", 1, 64, CharClass.ID);
                case 2 -> authId = Fields.string(p, "authorization_id", 1, 64, CharClass.ID);
                case 3 -> token = Fields.string(p, "card_token", 16, 128, CharClass.TOKEN);
                case 4 -> fraud = Fields.bool(p, "fraud");
                case 5 -> source = Fields.enumValue(p, "source", SOURCES);
                case 6 -> labelTime = Fields.timeMs(p, "label_time_ms");
                case 7 -> eventTime = Fields.timeMs(p, "event_time_ms");
                case 8 -> analyst = Fields.optString(p, "analyst", 1, 64, CharClass.USER);
                case 9 -> merchant = Fields.optString(p, "merchant_id", 1, 64, CharClass.PRINTABLE);
                default -> throw new IllegalStateException("field table and switch disagree");
            }
        }
        FIELDS.requireAll(seen);
        return new Label(id, authId, token, merchant, fraud, source, labelTime, eventTime, analyst);
    }

    @Override
    protected void write(Label l, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("v", Label.SCHEMA_VERSION);
        g.writeStringField("label_id", l.labelId());
        g.writeStringField("authorization_id", l.authorizationId());
        g.writeStringField("card_token", l.cardToken());
        g.writeBooleanField("fraud", l.fraud());
        g.writeStringField("source", l.source().name());
        g.writeNumberField("label_time_ms", l.labelTimeMs());
        g.writeNumberField("event_time_ms", l.eventTimeMs());
        Fields.optString(g, "analyst", l.analyst());
        Fields.optString(g, "merchant_id", l.merchantId());
        g.writeEndObject();
    }
}
