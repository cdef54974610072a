package dev.vigil.realtimescoring.patterns;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.feature.CardFold;
import dev.vigil.core.feature.Currencies;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

import java.time.Duration;

/**
 * The FlinkCEP detections, on each card's stream, in event time: CEP sorts each card's events by
 * event time and {@code within} is measured on the authorizations' own clocks, so replays and live
 * traffic agree. Event time costs the alert (never the decision) the CEP branch's watermark slack;
 * processing-time CEP would alert sooner but, in Flink 2.2, never clears a card's NFA state
 * (FLINK-40237), a per-card leak. See docs/decisions/0006-detections-in-event-time.md.
 */
public final class Patterns {
    public static final String CARD_TESTING = "CARD_TESTING";
    public static final String IMPOSSIBLE_TRAVEL = "IMPOSSIBLE_TRAVEL";

    /** Probes are below this (billing currency, major units). */
    static final double PROBE_MAX = 5.0;
    /** A cash-out is at least this. */
    static final double CASHOUT_MIN = 100.0;
    static final int MIN_PROBES = 3;
    static final long CARD_TESTING_SPAN_MS = Duration.ofMinutes(15).toMillis();
    /** Faster than an airliner, over a distance GPS noise cannot explain. */
    static final double MAX_PLAUSIBLE_KMH = 900;
    static final double MIN_TRAVEL_KM = 500;

    private Patterns() {
    }

    static double amount(Authorization a) {
        return Currencies.toMajor(a.billingAmountMinor(), a.billingCurrency());
    }

    /**
     * Three or more consecutive small probes, then a large purchase, all within 15 minutes. Consecutive probes keep partial matches few: any normal purchase in between
     * ends them.
     */
    public static Pattern<Authorization, ?> cardTesting() {
        return Pattern.<Authorization>begin("probes", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(a -> amount(a) < PROBE_MAX))
                .timesOrMore(MIN_PROBES).consecutive()
                .followedBy("cashout")
                .where(SimpleCondition.of(a -> amount(a) >= CASHOUT_MIN))
                .within(Duration.ofMillis(CARD_TESTING_SPAN_MS));
    }

    /**
     * Two consecutive card-present authorizations (the input holds only card-present ones with a
     * location) farther apart than a plane could fly in the time between them.
     */
    public static Pattern<Authorization, ?> impossibleTravel() {
        return Pattern.<Authorization>begin("from", AfterMatchSkipStrategy.noSkip())
                .next("to")
                .where(new IterativeCondition<>() {
                    @Override
                    public boolean filter(Authorization to, Context<Authorization> ctx) throws Exception {
                        for (Authorization from : ctx.getEventsForPattern("from")) {
                            return impossible(from, to);
                        }
                        return false;
                    }
                })
                .within(Duration.ofHours(12));
    }

    /** True when going from one place to the other in the time between needs more than a plane. */
    static boolean impossible(Authorization from, Authorization to) {
        double km = CardFold.haversineKm(from.merchantLat(), from.merchantLon(), to.merchantLat(), to.merchantLon());
        double hours = Math.max(Math.abs(to.eventTimeMs() - from.eventTimeMs()), 60_000L) / 3_600_000.0;
        return km >= MIN_TRAVEL_KM && km / hours > MAX_PLAUSIBLE_KMH;
    }

    /** The input of the travel pattern: card present, with a place. */
    public static boolean placed(Authorization a) {
        return a.channel().cardPresent() && a.hasLocation();
    }
}
