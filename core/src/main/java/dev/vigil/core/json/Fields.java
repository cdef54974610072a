package dev.vigil.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.core.token.PanMasking;
import dev.vigil.core.token.PanScanner;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading and writing of typed, validated field values. Readers expect the parser on the value
 * token; they reject with the field's name and the broken rule, never with the value itself
 * (a value may hold card digits).
 */
final class Fields {
    private Fields() {
    }

    /** Earliest and latest event time accepted: 2000-01-01 and 2200-01-01. */
    static final long MIN_TIME_MS = 946_684_800_000L;
    static final long MAX_TIME_MS = 7_258_118_400_000L;
    /** Largest integer JSON carries exactly in every language (2^53 - 1). */
    static final long MAX_SAFE_INT = 9_007_199_254_740_991L;
    static final long MAX_AMOUNT_MINOR = 1_000_000_000_000_000L;

    static String string(JsonParser p, String field, int min, int max, CharClass chars) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new Reject("'" + field + "' must be a string");
        }
        String s = p.getText();
        if (s.length() < min || s.length() > max) {
            throw new Reject("'" + field + "' must have " + min + ".." + max + " characters, has " + s.length());
        }
        if (!chars.allowsAll(s)) {
            throw new Reject("'" + field + "' has characters outside " + chars);
        }
        if (chars != CharClass.DIGIT && PanScanner.isCardNumber(s)) {
            // An upstream bug that puts the PAN in a token or id field must stop here, at the edge,
            // before Kafka, the lake, the database and the page carry it (the record goes to the DLQ masked).
            throw new Reject("'" + field + "' is a card number; a card number never belongs in it");
        }
        return s;
    }

    static String optString(JsonParser p, String field, int min, int max, CharClass chars) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : string(p, field, min, max, chars);
    }

    static long integer(JsonParser p, String field, long min, long max) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
            // JSON Schema counts 7.0 and 7e3 as integers; so do we, within the exact range of a double.
            double d = p.getDoubleValue();
            if (d != Math.rint(d) || Math.abs(d) > MAX_SAFE_INT) {
                throw new Reject("'" + field + "' must be an integer");
            }
            if (d < min || d > max) {
                throw new Reject("'" + field + "' is out of range " + bound(min) + ".." + bound(max));
            }
            return (long) d;
        }
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new Reject("'" + field + "' must be an integer");
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new Reject("'" + field + "' is out of range " + bound(min) + ".." + bound(max));
        }
        long v = p.getLongValue();
        if (v < min || v > max) {
            throw new Reject("'" + field + "' is out of range " + bound(min) + ".." + bound(max));
        }
        return v;
    }

    static long timeMs(JsonParser p, String field) throws IOException {
        return integer(p, field, MIN_TIME_MS, MAX_TIME_MS);
    }

    /** Large bounds in short form, so that no reason carries a run of 12+ digits. */
    private static String bound(long v) {
        if (v == MIN_TIME_MS || v == MAX_TIME_MS) {
            return java.time.Instant.ofEpochMilli(v).toString();
        }
        return Math.abs(v) < 100_000_000_000L ? Long.toString(v) : String.format(java.util.Locale.ROOT, "%.4g", (double) v);
    }

    static int optInt(JsonParser p, String field, int min, int max, int absent) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? absent : (int) integer(p, field, min, max);
    }

    static double number(JsonParser p, String field, double min, double max) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new Reject("'" + field + "' must be a number");
        }
        double v = p.getDoubleValue();
        if (!(v >= min && v <= max)) {
            throw new Reject("'" + field + "' is out of range " + min + ".." + max);
        }
        return v;
    }

    /** A nullable number; null reads as NaN. */
    static double optNumber(JsonParser p, String field, double min, double max) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? Double.NaN : number(p, field, min, max);
    }

    static float optFloat(JsonParser p, String field, double min, double max) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return Float.NaN;
        }
        number(p, field, min, max);
        return p.getFloatValue();
    }

    static boolean bool(JsonParser p, String field) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE) {
            return true;
        }
        if (t == JsonToken.VALUE_FALSE) {
            return false;
        }
        throw new Reject("'" + field + "' must be true or false");
    }

    static <E extends Enum<E>> Map<String, E> lookup(Class<E> type) {
        Map<String, E> m = new HashMap<>();
        for (E e : type.getEnumConstants()) {
            m.put(e.name(), e);
        }
        return Map.copyOf(m);
    }

    static <E extends Enum<E>> E enumValue(JsonParser p, String field, Map<String, E> values) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new Reject("'" + field + "' must be a string");
        }
        E e = values.get(p.getText());
        if (e == null) {
            throw new Reject("'" + field + "' must be one of " + values.keySet().stream().sorted().toList());
        }
        return e;
    }

    static LocalDate date(JsonParser p, String field) throws IOException {
        String s = string(p, field, 10, 10, CharClass.PRINTABLE);
        for (int i = 0; i < 10; i++) {
            char c = s.charAt(i);
            boolean ok = (i == 4 || i == 7) ? c == '-' : (c >= '0' && c <= '9');
            if (!ok) {
                throw new Reject("'" + field + "' must be a date YYYY-MM-DD");
            }
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeException e) {
            throw new Reject("'" + field + "' is not a calendar date");
        }
    }

    static LocalDate optDate(JsonParser p, String field) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : date(p, field);
    }

    static List<String> strings(JsonParser p, String field, int maxItems, int min, int max, CharClass chars)
            throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new Reject("'" + field + "' must be an array");
        }
        List<String> out = new ArrayList<>(4);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (out.size() == maxItems) {
                throw new Reject("'" + field + "' has more than " + maxItems + " items");
            }
            out.add(string(p, field + "[]", min, max, chars));
        }
        return out;
    }

    static void expectObject(JsonParser p, String field) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new Reject("'" + field + "' must be an object");
        }
    }

    static void expectArray(JsonParser p, String field) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new Reject("'" + field + "' must be an array");
        }
    }

    /** Names are safe to echo only after masking and shortening: they are attacker-controlled. */
    static String printable(String s) {
        String masked = PanMasking.mask(s);
        StringBuilder b = new StringBuilder(Math.min(masked.length(), 40));
        for (int i = 0; i < masked.length() && b.length() < 40; i++) {
            char c = masked.charAt(i);
            b.append(c >= ' ' && c <= '~' ? c : '?');
        }
        return b.toString();
    }

    // ---- writing: absent optional values are omitted ----

    static void optString(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    static void optNumber(JsonGenerator g, String field, double value) throws IOException {
        if (!Double.isNaN(value)) {
            g.writeNumberField(field, value);
        }
    }

    static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
