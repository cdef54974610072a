package dev.vigil.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a whole JSON document into maps, lists, strings, numbers and booleans, for files that are
 * read rarely and whole (model artifacts, manifests) — never for per-event records, which have
 * their streaming codecs. Numbers are {@code Long} when integral, else {@code Double}.
 */
public final class JsonTree {
    private static final JsonFactory LARGE = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64).maxStringLength(64 * 1024 * 1024).build())
            .build();

    private JsonTree() {
    }

    public static Object parse(byte[] bytes) throws IOException {
        try (JsonParser p = LARGE.createParser(bytes)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IOException("empty JSON document");
            }
            Object value = read(p, t);
            if (p.nextToken() != null) {
                throw new IOException("trailing content after the JSON document");
            }
            return value;
        }
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    m.put(name, read(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    l.add(read(p, next));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected JSON token " + t);
        }
    }

    // ---- typed access with clear errors ----

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object node, String path) throws IOException {
        if (node instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IOException("'" + path + "' must be an object");
    }

    public static Map<String, Object> object(Map<String, Object> parent, String field) throws IOException {
        return object(require(parent, field), field);
    }

    @SuppressWarnings("unchecked")
    public static List<Object> array(Map<String, Object> parent, String field) throws IOException {
        if (require(parent, field) instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new IOException("'" + field + "' must be an array");
    }

    public static String string(Map<String, Object> parent, String field) throws IOException {
        if (require(parent, field) instanceof String s) {
            return s;
        }
        throw new IOException("'" + field + "' must be a string");
    }

    public static double number(Map<String, Object> parent, String field) throws IOException {
        Object v = require(parent, field);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.replace("[", "").replace("]", ""));
            } catch (NumberFormatException e) {
                throw new IOException("'" + field + "' must be a number");
            }
        }
        throw new IOException("'" + field + "' must be a number");
    }

    private static Object require(Map<String, Object> parent, String field) throws IOException {
        if (!parent.containsKey(field)) {
            throw new IOException("missing '" + field + "'");
        }
        return parent.get(field);
    }
}
