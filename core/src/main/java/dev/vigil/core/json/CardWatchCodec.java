package dev.vigil.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.event.CardWatch;

import java.io.IOException;

/** JSON for {@link CardWatch}, schema {@code schemas/card-watch.v1.json}. */
public final class CardWatchCodec extends JsonCodec<CardWatch> {

    public static final CardWatchCodec INSTANCE = new CardWatchCodec();

    private static final FieldSet FIELDS = new FieldSet("v", "card_token", "pattern", "until_ms", "authorization_id",
            "card_seq");

    private CardWatchCodec() {
        super("card watch", 1024);
    }

    @Override
    protected CardWatch read(JsonParser p) throws IOException {
        long seen = 0;
        String token = null, pattern = null, authorizationId = null;
        long until = 0, seq = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            int f = FIELDS.indexOf(p.currentName());
            seen = FIELDS.mark(seen, f);
            p.nextToken();
            switch (f) {
                case 0 -> Fields.integer(p, "v", CardWatch.SCHEMA_VERSION, CardWatch.SCHEMA_VERSION);
                case 1 -> token = Fields.string(p, "card_token", 16, 128, CharClass.TOKEN);
                case 2 -> pattern = Fields.string(p, "pattern", 1, 48, CharClass.CODE);
                case 3 -> until = Fields.timeMs(p, "until_ms");
                case 4 -> authorizationId = Fields.string(p, "authorization_id", 1, 64, CharClass.ID);
                case 5 -> seq = Fields.integer(p, "card_seq", 0, Fields.MAX_SAFE_INT);
                default -> throw new IllegalStateException("field table and switch disagree");
            }
        }
        FIELDS.requireAll(seen);
        return new CardWatch(token, pattern, until, authorizationId, seq);
    }

    @Override
    protected void write(CardWatch w, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("v", CardWatch.SCHEMA_VERSION);
        g.writeStringField("card_token", w.cardToken());
        g.writeStringField("pattern", w.pattern());
        g.writeNumberField("until_ms", w.untilMs());
        g.writeStringField("authorization_id", w.authorizationId());
        g.writeNumberField("card_seq", w.cardSeq());
        g.writeEndObject();
    }
}
