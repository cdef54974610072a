package dev.vigil.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.event.ModelUpdate;

import java.io.IOException;

/** JSON for {@link ModelUpdate}, schema {@code schemas/model-update.v1.json}. */
public final class ModelUpdateCodec extends JsonCodec<ModelUpdate> {

    public static final ModelUpdateCodec INSTANCE = new ModelUpdateCodec();

    private static final FieldSet FIELDS = new FieldSet(
            "v", "line", "version", "uri", "checksum", "feature_set_hash", "published_at_ms");

    private ModelUpdateCodec() {
        super("model update", 4 * 1024);
    }

    @Override
    protected ModelUpdate read(JsonParser p) throws IOException {
        long seen = 0;
        String line = null, version = null, uri = null, checksum = null, hash = null;
        long published = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            int f = FIELDS.indexOf(p.currentName());
            seen = FIELDS.mark(seen, f);
            p.nextToken();
            switch (f) {
                case 0 -> Fields.integer(p, "v", ModelUpdate.SCHEMA_VERSION, ModelUpdate.SCHEMA_VERSION);
                case 1 -> line = Fields.string(p, "line", 1, 64, CharClass.NAME);
                case 2 -> version = Fields.string(p, "version", 1, 64, CharClass.NAME);
                case 3 -> uri = Fields.string(p, "uri", 1, 1024, CharClass.PRINTABLE);
                case 4 -> checksum = Fields.string(p, "checksum", 71, 71, CharClass.REASON);
                case 5 -> hash = Fields.string(p, "feature_set_hash", 64, 64, CharClass.NAME);
                case 6 -> published = Fields.timeMs(p, "published_at_ms");
                default -> throw new IllegalStateException("field table and switch disagree");
            }
        }
        FIELDS.requireAll(seen);
        return new ModelUpdate(line, version, uri, checksum, hash, published);
    }

    @Override
    protected void write(ModelUpdate u, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("v", ModelUpdate.SCHEMA_VERSION);
        g.writeStringField("line", u.line());
        g.writeStringField("version", u.version());
        g.writeStringField("uri", u.uri());
        g.writeStringField("checksum", u.checksum());
        g.writeStringField("feature_set_hash", u.featureSetHash());
        g.writeNumberField("published_at_ms", u.publishedAtMs());
        g.writeEndObject();
    }
}
