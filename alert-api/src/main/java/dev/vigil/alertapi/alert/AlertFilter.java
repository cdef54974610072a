package dev.vigil.alertapi.alert;

import dev.vigil.alertapi.ApiException;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the alert list is narrowed to, validated. {@link #where} turns it into SQL made only of the
 * constant fragments below, with every value bound as a parameter.
 */
public record AlertFilter(String status, Float minScore, Float maxScore, String cardToken, String pattern,
                          Instant from, Instant to) {
    private static final Pattern KIND = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");

    public static AlertFilter of(String status, Float minScore, Float maxScore, String card, String pattern,
                                 String from, String to) {
        String s = blankToNull(status);
        if (s != null && !s.equals("OPEN") && !s.equals("RESOLVED")) {
            throw ApiException.badRequest("status must be OPEN or RESOLVED");
        }
        checkScore("minScore", minScore);
        checkScore("maxScore", maxScore);
        if (minScore != null && maxScore != null && minScore > maxScore) {
            throw ApiException.badRequest("minScore must not exceed maxScore");
        }
        String c = blankToNull(card);
        if (c != null && !dev.vigil.core.token.PanTokenizer.isTokenShaped(c)) {
            // Exactly a token's shape: an all-digit PAN typed here must not reach a query or the logs.
            throw ApiException.badRequest("card must be a card token (43 characters: letters, digits, _ and -)");
        }
        String p = blankToNull(pattern);
        if (p != null && !KIND.matcher(p).matches()) {
            throw ApiException.badRequest("pattern must be an alert kind such as CARD_TESTING or MODEL_REVIEW");
        }
        Instant f = instant("from", from);
        Instant t = instant("to", to);
        if (f != null && t != null && f.isAfter(t)) {
            throw ApiException.badRequest("from must not be after to");
        }
        return new AlertFilter(s, minScore, maxScore, c, p, f, t);
    }

    /** Appends this filter's conditions (and a cursor's) to {@code sql}, adding their values to {@code params}. */
    public void where(StringBuilder sql, List<Object> params, Cursor after) {
        List<String> conditions = new ArrayList<>();
        if (status != null) {
            conditions.add("status = ?");
            params.add(status);
        }
        if (cardToken != null) {
            conditions.add("card_token = ?");
            params.add(cardToken);
        }
        if (pattern != null) {
            conditions.add("kind = ?");
            params.add(pattern);
        }
        if (minScore != null) {
            conditions.add("score >= ?");
            params.add(minScore);
        }
        if (maxScore != null) {
            conditions.add("score <= ?");
            params.add(maxScore);
        }
        if (from != null) {
            conditions.add("created_at >= ?");
            params.add(java.sql.Timestamp.from(from));
        }
        if (to != null) {
            conditions.add("created_at < ?");
            params.add(java.sql.Timestamp.from(to));
        }
        if (after != null) {
            conditions.add("(created_at, alert_id) < (?, ?)");
            params.add(new java.sql.Timestamp(after.atMs()));
            params.add(after.id());
        }
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
    }

    private static void checkScore(String name, Float score) {
        if (score != null && (score.isNaN() || score < 0 || score > 1)) {
            throw ApiException.badRequest(name + " must be between 0 and 1");
        }
    }

    private static Instant instant(String name, String text) {
        String t = blankToNull(text);
        if (t == null) {
            return null;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be an ISO-8601 instant such as 2024-01-31T00:00:00Z");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
