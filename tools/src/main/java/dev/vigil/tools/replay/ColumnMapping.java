package dev.vigil.tools.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * How the columns of a third-party CSV become {@code Authorization} fields: a properties file.
 * For each field {@code F}: {@code F = column} takes a column, {@code F.value = x} a constant,
 * {@code F.map.<raw> = x} translates raw values, and {@code F.default = x} stands in when the
 * column is empty or its value is not in the map. Fields the file lacks stay missing (null),
 * never invented. See {@code mappings/sparkov.properties} for a complete example.
 */
public final class ColumnMapping {
    /** Fields a mapping may fill, as named in the contract. */
    public static final List<String> FIELDS = List.of("authorization_id", "card", "event_time", "amount",
            "currency", "billing_amount", "billing_currency", "merchant_id", "mcc", "merchant_country",
            "merchant_lat", "merchant_lon", "utc_offset_minutes", "channel", "entry_mode", "host_decline", "label");
    private static final Set<String> OPTIONS = Set.of("card.kind", "event_time.format", "event_time.zone",
            "amount.unit", "billing_amount.unit", "label.fraud_values", "label.delay_median_days",
            "label.delay_max_days", "delimiter");

    /** One field: where its value comes from. */
    record Source(String column, String constant, Map<String, String> map, String fallback) {
        String value(Map<String, Integer> header, String[] row) {
            if (constant != null) {
                return constant;
            }
            String raw = null;
            if (column != null) {
                Integer i = header.get(column);
                raw = i == null || i >= row.length ? null : row[i].trim();
            }
            if (raw == null || raw.isEmpty()) {
                return fallback;
            }
            if (!map.isEmpty()) {
                return map.getOrDefault(raw, fallback);
            }
            return raw;
        }
    }

    private final Map<String, Source> sources = new HashMap<>();
    private final Properties props;
    final boolean opaqueCard;
    final String timeFormat;
    final DateTimeFormatter timePattern;
    final ZoneId zone;
    final boolean amountInMinor;
    final boolean billingInMinor;
    final Set<String> fraudValues;
    final double delayMedianDays;
    final double delayMaxDays;
    final char delimiter;

    private ColumnMapping(Properties props) {
        this.props = props;
        for (String key : props.stringPropertyNames()) {
            String field = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            if (!FIELDS.contains(field) && !OPTIONS.contains(key) && !key.equals("delimiter")) {
                throw new IllegalArgumentException("mapping: unknown field or option '" + key + "'; fields are " + FIELDS);
            }
        }
        for (String field : FIELDS) {
            Map<String, String> map = new HashMap<>();
            String prefix = field + ".map.";
            for (String key : props.stringPropertyNames()) {
                if (key.startsWith(prefix)) {
                    map.put(key.substring(prefix.length()), props.getProperty(key).trim());
                }
            }
            String column = trimmed(field), constant = trimmed(field + ".value"), fallback = trimmed(field + ".default");
            if (column != null || constant != null || fallback != null) {
                sources.put(field, new Source(column, constant, Map.copyOf(map), fallback));
            }
        }
        for (String required : List.of("card", "event_time", "amount", "merchant_id")) {
            if (!sources.containsKey(required)) {
                throw new IllegalArgumentException("mapping: '" + required + "' is required");
            }
        }
        String kind = props.getProperty("card.kind", "pan").trim().toLowerCase(Locale.ROOT);
        if (!kind.equals("pan") && !kind.equals("opaque")) {
            throw new IllegalArgumentException("mapping: card.kind must be 'pan' or 'opaque'");
        }
        opaqueCard = kind.equals("opaque");
        timeFormat = props.getProperty("event_time.format", "epoch_seconds").trim();
        timePattern = switch (timeFormat) {
            case "epoch_seconds", "epoch_millis", "iso_instant" -> null;
            default -> DateTimeFormatter.ofPattern(timeFormat, Locale.ROOT);
        };
        zone = ZoneId.of(props.getProperty("event_time.zone", "UTC").trim());
        amountInMinor = props.getProperty("amount.unit", "major").trim().equals("minor");
        billingInMinor = props.getProperty("billing_amount.unit", props.getProperty("amount.unit", "major")).trim().equals("minor");
        fraudValues = Set.of(props.getProperty("label.fraud_values", "1,true,yes,y,t,fraud").toLowerCase(Locale.ROOT)
                .split("\\s*,\\s*"));
        delayMedianDays = Double.parseDouble(props.getProperty("label.delay_median_days", "14"));
        delayMaxDays = Double.parseDouble(props.getProperty("label.delay_max_days", "90"));
        String d = props.getProperty("delimiter", ",");
        delimiter = d.equals("\\t") || d.equals("tab") ? '\t' : d.charAt(0);
    }

    private String trimmed(String key) {
        String v = props.getProperty(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public static ColumnMapping load(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties p = new Properties();
            p.load(r);
            return new ColumnMapping(p);
        }
    }

    /** A mapping shipped with Vigil, by format name (e.g. {@code sparkov}). */
    public static ColumnMapping builtIn(String format) throws IOException {
        try (InputStream in = ColumnMapping.class.getResourceAsStream("/mappings/" + format + ".properties")) {
            if (in == null) {
                throw new IllegalArgumentException("unknown format '" + format + "' (known: sparkov); use --mapping FILE");
            }
            Properties p = new Properties();
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            return new ColumnMapping(p);
        }
    }

    /** The field's value in this row, or null when the file does not have it. */
    String value(String field, Map<String, Integer> header, String[] row) {
        Source s = sources.get(field);
        return s == null ? null : s.value(header, row);
    }

    boolean has(String field) {
        return sources.containsKey(field);
    }

    /** Columns the mapping names that the header lacks. */
    List<String> missingColumns(Map<String, Integer> header) {
        return sources.values().stream().map(Source::column)
                .filter(c -> c != null && !header.containsKey(c)).distinct().sorted().toList();
    }
}
