package dev.vigil.tools.replay;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV line (RFC 4180 quoting, one record per line). */
final class CsvLine {
    private CsvLine() {
    }

    /** The fields, or null when a quote is left open. */
    static String[] split(String line, char delimiter) {
        List<String> out = new ArrayList<>(32);
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == delimiter) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        out.add(field.toString());
        return out.toArray(String[]::new);
    }
}
