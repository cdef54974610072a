package dev.vigil.tools.replay;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Channel;
import dev.vigil.core.event.EntryMode;
import dev.vigil.core.event.Label;
import dev.vigil.core.event.LabelSource;
import dev.vigil.core.feature.Currencies;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.core.token.CardIdentity;
import dev.vigil.core.token.PanTokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * Imports a third-party CSV into the contract: each row becomes an {@link Authorization} (its card
 * number tokenized here, the ingress edge) and, where the file has a fraud column, a chargeback
 * {@link Label} with a reproducible delay. File order is arrival order: per-card sequence numbers
 * follow it. A row that cannot be mapped is reported with its line number and reason (never its
 * content: it may hold a card number), counted, and skipped; the import goes on.
 */
public final class CsvImporter {
    private static final long DAY_MS = 86_400_000L;

    /** Where imported records go. */
    public interface Sink {
        void authorization(Authorization a, boolean fraud) throws IOException;

        void label(Label label) throws IOException;
    }

    /** A row that did not make it. */
    public record Rejected(long line, String reason) {
    }

    /** What an import did. */
    public record Result(long rows, long imported, long rejected, long fraud, long labels, long cards) {
    }

    private final ColumnMapping mapping;
    private final PanTokenizer tokenizer;
    private final long seed;

    public CsvImporter(ColumnMapping mapping, PanTokenizer tokenizer, long seed) {
        this.mapping = mapping;
        this.tokenizer = tokenizer;
        this.seed = seed;
    }

    public Result run(Path file, Sink sink, java.util.function.Consumer<Rejected> onReject,
                      java.util.function.LongConsumer progress) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            String headerLine = reader.readLine();
            if (headerLine == null) {
                throw new IOException("empty file: " + file);
            }
            String[] names = CsvLine.split(headerLine.replace("\uFEFF", ""), mapping.delimiter);
            Map<String, Integer> header = new HashMap<>();
            for (int i = 0; i < names.length; i++) {
                header.put(names[i].trim(), i);
            }
            var missing = mapping.missingColumns(header);
            if (!missing.isEmpty()) {
                throw new IOException("the file has no column(s) " + missing + " that the mapping names");
            }
            Map<String, Long> seq = new HashMap<>();
            long rows = 0, imported = 0, rejected = 0, fraud = 0, labels = 0, line = 1;
            String text;
            while ((text = reader.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                rows++;
                String[] row = CsvLine.split(text, mapping.delimiter);
                String why;
                Authorization a = null;
                if (row == null) {
                    why = "unbalanced quotes";
                } else if (row.length != names.length) {
                    why = "expected " + names.length + " columns, found " + row.length;
                } else {
                    Mapped m = map(header, row, line);
                    why = m.reason;
                    a = m.authorization;
                }
                if (why != null) {
                    rejected++;
                    onReject.accept(new Rejected(line, why));
                    continue;
                }
                long s = seq.merge(a.cardToken(), 1L, Long::sum);
                a = a.withCardSeq(s);
                boolean isFraud = isFraud(header, row);
                sink.authorization(a, isFraud);
                imported++;
                if (isFraud) {
                    fraud++;
                    sink.label(chargeback(a));
                    labels++;
                }
                if (progress != null && imported % 100_000 == 0) {
                    progress.accept(imported);
                }
            }
            return new Result(rows, imported, rejected, fraud, labels, seq.size());
        }
    }

    private record Mapped(Authorization authorization, String reason) {
    }

    private Mapped map(Map<String, Integer> header, String[] row, long line) {
        String card = mapping.value("card", header, row);
        if (card == null) {
            return new Mapped(null, "no card number");
        }
        CardIdentity id = mapping.opaqueCard ? tokenizer.tokenizeOpaque(card) : tokenizer.tokenizePan(card);
        if (id == null) {
            return new Mapped(null, mapping.opaqueCard ? "card id is empty or too long" : PanTokenizer.whyInvalid(card));
        }
        long time;
        try {
            time = parseTime(mapping.value("event_time", header, row));
        } catch (RuntimeException e) {
            return new Mapped(null, "event_time does not match format '" + mapping.timeFormat + "'");
        }
        String currency = orDefault(mapping.value("currency", header, row), "USD").toUpperCase(Locale.ROOT);
        long amount;
        try {
            amount = minor(mapping.value("amount", header, row), currency, mapping.amountInMinor);
        } catch (RuntimeException e) {
            return new Mapped(null, "amount is not a non-negative number");
        }
        String billingCurrency = orDefault(mapping.value("billing_currency", header, row), currency).toUpperCase(Locale.ROOT);
        long billing = amount;
        if (mapping.has("billing_amount")) {
            try {
                billing = minor(mapping.value("billing_amount", header, row), billingCurrency, mapping.billingInMinor);
            } catch (RuntimeException e) {
                return new Mapped(null, "billing_amount is not a non-negative number");
            }
        }
        String authId = mapping.value("authorization_id", header, row);
        if (authId == null) {
            authId = "row-" + line;
        }
        Channel channel;
        EntryMode entry;
        double lat, lon;
        int offset;
        try {
            channel = Channel.valueOf(orDefault(mapping.value("channel", header, row), "UNKNOWN").toUpperCase(Locale.ROOT));
            entry = EntryMode.valueOf(orDefault(mapping.value("entry_mode", header, row), "UNKNOWN").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return new Mapped(null, "channel or entry_mode is not a known value");
        }
        try {
            lat = number(mapping.value("merchant_lat", header, row));
            lon = number(mapping.value("merchant_lon", header, row));
            String off = mapping.value("utc_offset_minutes", header, row);
            offset = off == null ? Authorization.NO_UTC_OFFSET : Integer.parseInt(off);
        } catch (NumberFormatException e) {
            return new Mapped(null, "merchant location or UTC offset is not a number");
        }
        Authorization a = new Authorization(authId, id.token(), id.keyId(), id.bin(), id.last4(), id.panLength(),
                amount, currency, billing, billingCurrency, mapping.value("merchant_id", header, row),
                mapping.value("mcc", header, row), mapping.value("merchant_country", header, row), lat, lon, offset,
                channel, entry, mapping.value("host_decline", header, row), time, 1, id.nextToken(), id.nextKeyId());
        // The contract's own codec is the judge of what is valid (lengths, characters, ranges).
        Decoded<Authorization> check = AuthorizationCodec.INSTANCE.decode(AuthorizationCodec.INSTANCE.encode(a));
        return check.isOk() ? new Mapped(a, null) : new Mapped(null, check.reason());
    }

    private boolean isFraud(Map<String, Integer> header, String[] row) {
        String v = mapping.value("label", header, row);
        return v != null && mapping.fraudValues.contains(v.trim().toLowerCase(Locale.ROOT));
    }

    /** A chargeback for a fraudulent row: log-normal delay around the median, 2..max days, seeded by id. */
    Label chargeback(Authorization a) {
        SplittableRandom r = new SplittableRandom(seed ^ (a.authorizationId().hashCode() * 0x9E3779B97F4A7C15L));
        double days = Math.exp(Math.log(mapping.delayMedianDays) + 0.6 * r.nextGaussian());
        days = Math.max(2, Math.min(mapping.delayMaxDays, days));
        return Label.of(a.authorizationId(), a.cardToken(), a.merchantId(), true, LabelSource.CHARGEBACK,
                a.eventTimeMs() + (long) (days * DAY_MS), a.eventTimeMs(), null);
    }

    private long parseTime(String raw) {
        if (raw == null) {
            throw new IllegalArgumentException("missing");
        }
        return switch (mapping.timeFormat) {
            case "epoch_seconds" -> new BigDecimal(raw).movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
            case "epoch_millis" -> new BigDecimal(raw).longValueExact();
            case "iso_instant" -> Instant.parse(raw).toEpochMilli();
            default -> LocalDateTime.parse(raw, mapping.timePattern).atZone(mapping.zone).toInstant().toEpochMilli();
        };
    }

    private static long minor(String raw, String currency, boolean alreadyMinor) {
        BigDecimal v = new BigDecimal(raw.trim());
        if (v.signum() < 0) {
            throw new IllegalArgumentException("negative");
        }
        return alreadyMinor ? v.longValueExact()
                : v.movePointRight(Currencies.exponent(currency)).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    private static double number(String raw) {
        return raw == null ? Double.NaN : Double.parseDouble(raw);
    }

    private static String orDefault(String v, String d) {
        return v == null ? d : v;
    }
}
