package dev.vigil.featurelake.quality;

import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.bronze.Bronze;
import dev.vigil.featurelake.bronze.BronzeStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The nightly's checks on its input, run before any profile is written: the day's data has arrived
 * (freshness), its volume is in line with the previous day, nullable columns have not drifted, and
 * the run's quarantine share is small.
 */
public final class QualityChecks {

    /** Columns allowed to be null whose null rate should still be stable day to day. */
    static final List<String> NULLABLE = List.of("mcc", "merchant_country", "merchant_lat", "utc_offset_minutes");
    private static final long DAY_MS = 86_400_000L;

    private QualityChecks() {
    }

    /**
     * The checks of every night in {@code from..to}, in date order, from one aggregation over bronze.
     * {@code landed} (what this run took from Kafka) counts for the first night only: later nights of
     * a backfill landed nothing of their own, as when they run one at a time after it.
     */
    public static Map<LocalDate, List<Check>> run(SparkSession spark, Lake lake, LocalDate from, LocalDate to,
                                                  Bronze.Landed landed, QualityRules rules) {
        Map<LocalDate, Day> days = days(spark, lake, from.minusDays(1), to);
        Map<LocalDate, List<Check>> out = new LinkedHashMap<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            out.put(d, checks(d, days.getOrDefault(d, Day.EMPTY), days.getOrDefault(d.minusDays(1), Day.EMPTY),
                    d.equals(from) ? landed : Bronze.Landed.NONE, rules));
        }
        return out;
    }

    static List<Check> checks(LocalDate date, Day today, Day yesterday, Bronze.Landed landed, QualityRules rules) {
        List<Check> checks = new ArrayList<>();
        if (today.count == 0) {
            checks.add(Check.fail("freshness", "no authorizations with event date " + date
                    + " in bronze: is ingestion behind?"));
            return checks;
        }
        double behindHours = ((date.plusDays(1).toEpochDay() * DAY_MS) - today.newestMs) / 3_600_000.0;
        checks.add(behindHours <= rules.freshnessHours()
                ? Check.pass("freshness", String.format(Locale.ROOT, "newest authorization %.1f h before the day's end", behindHours))
                : Check.fail("freshness", String.format(Locale.ROOT,
                "newest authorization is %.1f h before the day's end (limit %.1f h): the day looks incomplete",
                behindHours, rules.freshnessHours())));

        if (yesterday.count == 0) {
            checks.add(Check.pass("volume", today.count + " authorizations; no previous day to compare"));
        } else {
            double ratio = (double) today.count / yesterday.count;
            String detail = String.format(Locale.ROOT, "%d authorizations, %.2f× the previous day's %d (allowed %.2f–%.2f)",
                    today.count, ratio, yesterday.count, rules.minDayRatio(), rules.maxDayRatio());
            checks.add(ratio >= rules.minDayRatio() && ratio <= rules.maxDayRatio()
                    ? Check.pass("volume", detail) : Check.fail("volume", detail));
            for (int i = 0; i < NULLABLE.size(); i++) {
                double drift = Math.abs(today.nullRates[i] - yesterday.nullRates[i]);
                String d = String.format(Locale.ROOT, "%s null rate %.3f, previous day %.3f (drift limit %.2f)",
                        NULLABLE.get(i), today.nullRates[i], yesterday.nullRates[i], rules.maxNullDrift());
                checks.add(drift <= rules.maxNullDrift() ? Check.pass("nulls:" + NULLABLE.get(i), d)
                        : Check.fail("nulls:" + NULLABLE.get(i), d));
            }
        }

        long seen = landed.inserted() + landed.duplicates() + landed.quarantined();
        double share = seen == 0 ? 0 : (double) landed.quarantined() / seen;
        String q = String.format(Locale.ROOT, "%d of %d records landed this run quarantined (%.2f%%, limit %.2f%%)",
                landed.quarantined(), seen, 100 * share, 100 * rules.maxQuarantined());
        checks.add(share <= rules.maxQuarantined() ? Check.pass("quarantine", q) : Check.fail("quarantine", q));
        return checks;
    }

    record Day(long count, long newestMs, double[] nullRates) {
        static final Day EMPTY = new Day(0, 0, new double[NULLABLE.size()]);
    }

    /** Per event date in {@code from..to}: count, newest event time and null rates; absent dates had none. */
    private static Map<LocalDate, Day> days(SparkSession spark, Lake lake, LocalDate from, LocalDate to) {
        List<Column> aggs = new ArrayList<>();
        aggs.add(max("event_time_ms"));
        for (String c : NULLABLE) {
            aggs.add(sum(when(col(c).isNull(), 1).otherwise(0)));
        }
        Map<LocalDate, Day> days = new HashMap<>();
        for (Row r : spark.read().format("delta").load(lake.bronze(BronzeStream.AUTHORIZATIONS.table()))
                .filter(col("event_date").between(lit(from), lit(to))).groupBy("event_date")
                .agg(count(lit(1)), aggs.toArray(Column[]::new)).collectAsList()) {
            long n = r.getLong(1);
            double[] rates = new double[NULLABLE.size()];
            for (int i = 0; i < rates.length; i++) {
                rates[i] = (double) r.getLong(3 + i) / n;
            }
            days.put(r.getAs("event_date"), new Day(n, r.getLong(2), rates));
        }
        return days;
    }
}
