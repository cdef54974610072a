package dev.vigil.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.vigil.core.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds the hand-written codecs to the checked-in JSON Schemas: every record a codec writes is
 * schema-valid, and on thousands of mutated documents (fields removed, retyped, nulled, stretched,
 * added) the codec accepts exactly what the schema accepts.
 */
class SchemaConformanceTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaMappers(m -> m.mapPrefix("https://vigil.dev/schemas/", "classpath:schemas/")));

    static List<Codecs<?>> codecs() {
        return Codecs.all();
    }

    static JsonSchema schema(String file) {
        return FACTORY.getSchema(SchemaLocation.of("https://vigil.dev/schemas/" + file),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void everythingTheCodecWritesIsSchemaValid(Codecs<?> c) throws Exception {
        JsonSchema schema = schema(c.schema());
        TestData.Random2 r = new TestData.Random2(11);
        for (int i = 0; i < 1_000; i++) {
            byte[] bytes = c.randomValid(r);
            Set<ValidationMessage> errors = schema.validate(MAPPER.readTree(bytes));
            assertTrue(errors.isEmpty(), () -> new String(bytes) + " -> " + errors);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void codecAndSchemaAgreeOnMutatedDocuments(Codecs<?> c) throws Exception {
        JsonSchema schema = schema(c.schema());
        TestData.Random2 r = new TestData.Random2(13);
        Random mutations = new Random(17);
        int rejectedBoth = 0;
        for (int i = 0; i < 3_000; i++) {
            ObjectNode doc = (ObjectNode) MAPPER.readTree(c.randomValid(r));
            mutate(doc, mutations);
            byte[] bytes = MAPPER.writeValueAsBytes(doc);
            boolean schemaOk = schema.validate(doc).isEmpty();
            Decoded<?> decoded = c.codec().decode(bytes);
            assertEquals(schemaOk, decoded.isOk(),
                    () -> "schema " + (schemaOk ? "accepts" : "rejects") + " but codec says " + decoded.reason()
                            + " for " + new String(bytes));
            if (!schemaOk) {
                rejectedBoth++;
            }
        }
        assertTrue(rejectedBoth > 1_000, "the mutations must mostly break the schema, broke " + rejectedBoth);
    }

    /** One random mutation somewhere in the document tree. */
    private static void mutate(ObjectNode root, Random rnd) {
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(root, objects);
        ObjectNode target = objects.get(rnd.nextInt(objects.size()));
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        String field = names.isEmpty() ? "x" : names.get(rnd.nextInt(names.size()));
        JsonNode old = target.get(field);
        switch (rnd.nextInt(12)) {
            case 0 -> target.remove(field);
            case 1 -> target.putNull(field);
            case 2 -> target.put(field, "x");
            case 3 -> target.put(field, 12345);
            case 4 -> target.put(field, -1);
            case 5 -> target.put(field, 1.5);
            case 6 -> target.put(field, true);
            case 7 -> target.put("unexpected_" + rnd.nextInt(3), 1);
            case 8 -> target.set(field, NODES.arrayNode());
            case 9 -> target.set(field, NODES.objectNode());
            case 10 -> {
                if (old != null && old.isTextual()) {
                    target.put(field, old.asText() + "\u00e9" + "a".repeat(rnd.nextInt(3) * 60));
                } else if (old != null && old.isNumber()) {
                    target.put(field, old.asDouble() * 1e9 + 1);
                } else {
                    target.put(field, 9_999_999_999_999_999L);
                }
            }
            default -> {
                if (old != null && old.isArray() && !old.isEmpty()) {
                    ((ArrayNode) old).add(old.get(0));
                    ((ArrayNode) old).insert(0, 7);
                } else {
                    target.put(field, "2024-02-30");
                }
            }
        }
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> out) {
        if (node.isObject()) {
            out.add((ObjectNode) node);
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            collectObjects(it.next(), out);
        }
    }
}
