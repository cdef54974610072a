package dev.vigil.core.profile;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.CardProfile;
import dev.vigil.core.event.Channel;
import dev.vigil.core.feature.CardFold;
import dev.vigil.core.feature.Currencies;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one definition of a card's nightly profile. feature-lake calls it per card for logical date
 * D with the card's authorizations of the 90 days up to D and the chargebacks known at D; the
 * realtime fold consumes the result. Engine-free so both the lake and tests use the same code.
 *
 * <p>Spend statistics cover authorizations the issuer host approved (a host decline is not spend).
 * The input is sorted before any sum, so the result does not depend on the order an engine hands
 * the rows over in: running a night twice gives bit-identical profiles.
 */
public final class CardProfileBuilder {

    public static final int WINDOW_30D = 30;
    public static final int WINDOW_90D = 90;
    public static final int CHARGEBACK_WINDOW_DAYS = 365;

    private static final Comparator<Authorization> STABLE =
            Comparator.comparingLong(Authorization::eventTimeMs).thenComparing(Authorization::authorizationId);

    private CardProfileBuilder() {
    }

    /** A chargeback known to the lake: the labelled authorization's event date and the date it became known. */
    public record Chargeback(LocalDate authorizationDate, LocalDate knownDate) {
    }

    /** True when {@code date} is inside the {@code days}-day window that ends at (and includes) {@code asOf}. */
    public static boolean inWindow(LocalDate date, LocalDate asOf, int days) {
        return !date.isAfter(asOf) && date.isAfter(asOf.minusDays(days));
    }

    public static LocalDate eventDate(long eventTimeMs) {
        return LocalDate.ofEpochDay(Math.floorDiv(eventTimeMs, CardFold.DAY_MS));
    }

    /**
     * The profile of {@code cardToken} at {@code asOf}, or null when the card has no approved
     * authorization in the 90-day window. Authorizations outside the window, and chargebacks not
     * yet known at asOf, are ignored, so callers may pass a superset.
     */
    public static CardProfile build(String cardToken, LocalDate asOf, List<Authorization> authorizations,
                                    List<Chargeback> chargebacks) {
        List<Authorization> window = new ArrayList<>(authorizations.size());
        for (Authorization a : authorizations) {
            if (!a.declinedByHost() && inWindow(eventDate(a.eventTimeMs()), asOf, WINDOW_90D)) {
                window.add(a);
            }
        }
        if (window.isEmpty()) {
            return null;
        }
        window.sort(STABLE);

        Moments m30 = new Moments(), m90 = new Moments();
        float[] hours = new float[24];
        Map<String, Moments> byMcc = new HashMap<>();
        Map<String, Integer> countries = new HashMap<>(), merchants = new HashMap<>();
        List<Double> lats = new ArrayList<>(), lons = new ArrayList<>();
        for (Authorization a : window) {
            double amount = Currencies.toMajor(a.billingAmountMinor(), a.billingCurrency());
            m90.add(amount);
            if (inWindow(eventDate(a.eventTimeMs()), asOf, WINDOW_30D)) {
                m30.add(amount);
            }
            hours[CardFold.hourOfDay(a)]++;
            if (a.mcc() != null) {
                byMcc.computeIfAbsent(a.mcc(), k -> new Moments()).add(amount);
            }
            if (a.merchantCountry() != null) {
                countries.merge(a.merchantCountry(), 1, Integer::sum);
            }
            merchants.merge(a.merchantId(), 1, Integer::sum);
            if (a.channel() == Channel.CARD_PRESENT && a.hasLocation()) {
                lats.add(a.merchantLat());
                lons.add(a.merchantLon());
            }
        }
        for (int h = 0; h < 24; h++) {
            hours[h] = (float) (hours[h] / window.size());
        }

        Map<String, Double> mccMeans = new LinkedHashMap<>();
        byMcc.entrySet().stream()
                .sorted(Map.Entry.<String, Moments>comparingByValue(Comparator.comparingLong(x -> -x.n))
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(CardProfile.MAX_MCCS)
                .forEach(e -> mccMeans.put(e.getKey(), e.getValue().mean()));

        int known = 0;
        LocalDate lastKnown = null;
        for (Chargeback c : chargebacks) {
            if (!c.knownDate().isAfter(asOf) && inWindow(c.authorizationDate(), asOf, CHARGEBACK_WINDOW_DAYS)) {
                known++;
                if (lastKnown == null || c.knownDate().isAfter(lastKnown)) {
                    lastKnown = c.knownDate();
                }
            }
        }

        return new CardProfile(cardToken, asOf, (int) m30.n, m30.mean(), m30.std(), (int) m90.n, m90.mean(),
                m90.std(), hours, mccMeans, top(countries, CardProfile.MAX_COUNTRIES),
                top(merchants, CardProfile.MAX_MERCHANTS), median(lats), median(lons), known, lastKnown);
    }

    /** Keys by descending count, ties by key, at most {@code limit}. */
    static List<String> top(Map<String, Integer> counts, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** The home estimate: median of card-present merchant coordinates, NaN when there are none. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /** Count, mean and population standard deviation (Welford, so large amounts stay exact enough). */
    private static final class Moments {
        long n;
        double mean;
        double m2;

        void add(double x) {
            n++;
            double d = x - mean;
            mean += d / n;
            m2 += d * (x - mean);
        }

        double mean() {
            return n == 0 ? 0 : mean;
        }

        double std() {
            return n < 2 ? 0 : Math.sqrt(Math.max(0, m2 / n));
        }
    }
}
