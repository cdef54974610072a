package dev.vigil.testkit.world;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Channel;
import dev.vigil.core.event.EntryMode;
import dev.vigil.core.event.Label;
import dev.vigil.core.event.LabelSource;
import dev.vigil.core.feature.Currencies;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Lives the world one UTC day at a time, in order. Every card's day draws from its own random
 * stream (seed, day, card), so a day's traffic depends only on the config and what came before.
 * Stateful (per-card sequence numbers, trips, planned fraud): call {@link #next()} day after day.
 */
public final class Simulator {
    private static final long DAY_MS = 86_400_000L;
    private static final long MIN_MS = 60_000L;
    private static final double CHARGEBACK_RATE = 0.92;
    private static final double FRIENDLY_FRAUD_RATE = 0.0005;

    private final World world;
    private final long[] nextSeq;
    private final long[] tripUntil;
    private final City[] tripCity;
    private final List<long[]> breaches = new ArrayList<>(); // {merchant, fromDay, toDay}
    private long day;

    public Simulator(World world) {
        this.world = world;
        this.nextSeq = new long[world.cards.length];
        this.tripUntil = new long[world.cards.length];
        this.tripCity = new City[world.cards.length];
        this.day = world.config.start().toEpochDay();
    }

    /** The next day's traffic. */
    public DayTraffic next() {
        long d = day++;
        breachMerchants(d);
        List<Generated> events = new ArrayList<>(world.cards.length * 3);
        List<Label> labels = new ArrayList<>();
        for (Card card : world.cards) {
            CardDay cd = new CardDay(card, d, new SplittableRandom(World.mix(world.config.seed(), 2 + d, card.index)));
            cd.live();
            events.addAll(cd.out);
        }
        // Arrival order; ties broken by card and the card's own order, so the result is total.
        events.sort(Comparator.comparingLong(Generated::arrivalMs)
                .thenComparing(g -> g.authorization().authorizationId()));
        List<Generated> ordered = new ArrayList<>(events.size());
        for (Generated g : events) {
            int card = cardOf(g);
            Authorization a = g.authorization().withCardSeq(++nextSeq[card]);
            ordered.add(new Generated(a, g.arrivalMs(), g.scenario()));
            chargeback(a, g.scenario(), labels);
        }
        return new DayTraffic(LocalDate.ofEpochDay(d), ordered, labels);
    }

    private int cardOf(Generated g) {
        String id = g.authorization().authorizationId();
        int end = id.lastIndexOf('-');
        int start = id.lastIndexOf('-', end - 1);
        return Integer.parseInt(id, start + 1, end, 10);
    }

    /** Fraud that was approved is charged back, days later; declined fraud never is. */
    private void chargeback(Authorization a, Scenario scenario, List<Label> out) {
        SplittableRandom r = new SplittableRandom(World.mix(world.config.seed(), 7, a.authorizationId().hashCode()));
        boolean fraudLabel;
        double delayDays;
        if (scenario != null) {
            if (a.declinedByHost() || r.nextDouble() > CHARGEBACK_RATE) {
                return;
            }
            fraudLabel = true;
            delayDays = scenario == Scenario.BUST_OUT ? 30 + r.nextDouble() * 45
                    : Math.min(80, Math.max(2, Math.exp(Math.log(14) + r.nextGaussian() * 0.6)));
        } else {
            if (a.declinedByHost() || r.nextDouble() > FRIENDLY_FRAUD_RATE) {
                return;
            }
            fraudLabel = true; // "friendly fraud": a legitimate purchase disputed as fraud
            delayDays = 5 + r.nextDouble() * 40;
        }
        long labelTime = a.eventTimeMs() + (long) (delayDays * DAY_MS);
        out.add(Label.of(a.authorizationId(), a.cardToken(), a.merchantId(), fraudLabel, LabelSource.CHARGEBACK, labelTime,
                a.eventTimeMs(), null));
    }

    private void breachMerchants(long d) {
        SplittableRandom r = new SplittableRandom(World.mix(world.config.seed(), 3, d));
        double expected = WorldConfig.BREACH_RATE * world.config.fraudScale() * world.cards.length / 10_000.0;
        int n = poisson(r, expected);
        Category[] skimmed = {Category.FUEL, Category.RESTAURANT, Category.GROCERY, Category.FAST_FOOD};
        for (int i = 0; i < n; i++) {
            int city = r.nextInt(world.local.length);
            int[] pool = world.local[city][skimmed[r.nextInt(skimmed.length)].ordinal()];
            breaches.add(new long[]{pool[r.nextInt(pool.length)], d, d + 5});
        }
        breaches.removeIf(b -> b[2] < d);
    }

    private boolean breached(int merchant, long d) {
        for (long[] b : breaches) {
            if (b[0] == merchant && d >= b[1] && d < b[2]) {
                return true;
            }
        }
        return false;
    }

    static int poisson(SplittableRandom r, double mean) {
        if (mean > 30) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
        }
        double limit = Math.exp(-mean), p = 1;
        int k = 0;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > limit);
        return k - 1;
    }

    /** One card's day. */
    private final class CardDay {
        final Card card;
        final long d;
        final long dayStart;
        final SplittableRandom r;
        final List<Generated> out = new ArrayList<>();
        int ordinal;

        CardDay(Card card, long d, SplittableRandom r) {
            this.card = card;
            this.d = d;
            this.dayStart = d * DAY_MS;
            this.r = r;
        }

        void live() {
            City where = travel();
            double weekend = LocalDate.ofEpochDay(d).getDayOfWeek().getValue() >= DayOfWeek.SATURDAY.getValue() ? 1.15 : 1.0;
            int n = poisson(r, card.dailyRate * weekend);
            for (int k = 0; k < n; k++) {
                legitimate(where);
            }
            double scale = world.config.fraudScale() / 30.0;
            if (r.nextDouble() < WorldConfig.CARD_TESTING_RATE * scale) {
                cardTesting();
            }
            if (r.nextDouble() < WorldConfig.TAKEOVER_RATE * scale) {
                takeover();
            }
            if (r.nextDouble() < WorldConfig.STOLEN_RATE * scale) {
                stolen();
            }
            if (r.nextDouble() < WorldConfig.BUST_OUT_RATE * scale) {
                bustOut(1);
                card.planned.add(new Card.Planned(d + 1, Scenario.BUST_OUT, 2));
            }
            for (Card.Planned p : card.planned) {
                if (p.epochDay() == d) {
                    if (p.scenario() == Scenario.BUST_OUT) {
                        bustOut(p.part());
                    } else {
                        breachVictim();
                    }
                }
            }
            card.planned.removeIf(p -> p.epochDay() <= d);
        }

        /** Where the holder is today; starts a trip now and then. */
        City travel() {
            int i = card.index;
            if (tripUntil[i] > d) {
                return tripCity[i];
            }
            if (r.nextDouble() < 0.0015) {
                City to = Catalogue.CITIES.get(r.nextInt(Catalogue.CITIES.size()));
                if (to != card.home) {
                    tripCity[i] = to;
                    tripUntil[i] = d + 3 + r.nextInt(7);
                    emit(pickOnline(Category.AIRLINE), timeAt(7 + r.nextInt(3), card.home), usd(Category.AIRLINE),
                            Channel.ECOMMERCE, EntryMode.ECOMMERCE, null, null);
                    emit(pickLocal(to, Category.HOTEL), timeAt(16 + r.nextInt(5), to), usd(Category.HOTEL),
                            Channel.CARD_PRESENT, presentEntry(), null, null);
                    return to;
                }
            }
            return card.home;
        }

        void legitimate(City where) {
            Category cat = pickCategory();
            boolean isOnline = cat.online() || (!cat.present() && r.nextDouble() < card.onlineShare);
            Merchant m;
            if (isOnline) {
                m = (cat == Category.ELECTRONICS || cat == Category.ONLINE_RETAIL) && r.nextDouble() < 0.03
                        ? world.merchants.get(world.offshore[r.nextInt(world.offshore.length)])
                        : pickOnline(cat);
            } else {
                int[] regular = card.regulars[cat.ordinal()];
                m = where == card.home && regular.length > 0 && r.nextDouble() < 0.55
                        ? world.merchants.get(regular[r.nextInt(regular.length)]) : pickLocal(where, cat);
            }
            long t = timeAt(hourFor(cat), where);
            double amount = usd(cat);
            String decline = null;
            if (r.nextDouble() < 0.006 * (1 + amount / 300)) {
                decline = "INSUFFICIENT_FUNDS";
            } else if (!isOnline && r.nextDouble() < 0.002) {
                decline = "INVALID_PIN";
            }
            Generated g = emit(m, t, amount, isOnline ? Channel.ECOMMERCE : Channel.CARD_PRESENT,
                    isOnline ? EntryMode.ECOMMERCE : cat == Category.ATM ? EntryMode.CHIP : presentEntry(), decline, null);
            if (!isOnline && breached(m.index(), d)
                    && r.nextDouble() < Math.min(1, WorldConfig.BREACH_VICTIM_RATE * world.config.fraudScale())) {
                card.planned.add(new Card.Planned(d + 3 + r.nextInt(18), Scenario.MERCHANT_COMPROMISE, 1));
            }
            if (!isOnline && r.nextDouble() < 0.003) {
                // An offline terminal uploads later: the card's next record may be older than the last.
                out.set(out.size() - 1, new Generated(g.authorization(),
                        Math.min(dayStart + DAY_MS - 1, t + (1 + r.nextInt(30)) * MIN_MS), null));
            }
        }

        void cardTesting() {
            long t = dayStart + (long) (r.nextDouble() * (DAY_MS - 30 * MIN_MS));
            int probes = 3 + r.nextInt(6);
            for (int i = 0; i < probes; i++) {
                Category cat = r.nextBoolean() ? Category.DIGITAL_GOODS : Category.ONLINE_RETAIL;
                emit(pickOnline(cat), t, 0.5 + r.nextDouble() * 2.5, Channel.ECOMMERCE, EntryMode.ECOMMERCE,
                        r.nextDouble() < 0.5 ? "INVALID_CVV" : null, Scenario.CARD_TESTING);
                t += (20 + r.nextInt(70)) * 1000L;
            }
            t += (2 + r.nextInt(8)) * MIN_MS;
            for (int i = 1 + r.nextInt(2); i > 0; i--) {
                emit(pickOnline(Category.ELECTRONICS), t, 300 + r.nextDouble() * 2200, Channel.ECOMMERCE,
                        EntryMode.ECOMMERCE, null, Scenario.CARD_TESTING);
                t += (1 + r.nextInt(5)) * MIN_MS;
            }
        }

        void takeover() {
            long t = dayStart + (long) (r.nextDouble() * (DAY_MS - 4 * 60 * MIN_MS));
            String country = Catalogue.FRAUD_COUNTRIES.get(r.nextInt(Catalogue.FRAUD_COUNTRIES.size()));
            for (int i = 4 + r.nextInt(9); i > 0; i--) {
                Merchant m = r.nextDouble() < 0.6 ? offshoreIn(country)
                        : pickOnline(r.nextBoolean() ? Category.ELECTRONICS : Category.ONLINE_RETAIL);
                emit(m, t, 150 + r.nextDouble() * 1350, Channel.ECOMMERCE, EntryMode.ECOMMERCE,
                        r.nextDouble() < 0.05 ? "INSUFFICIENT_FUNDS" : null, Scenario.ACCOUNT_TAKEOVER);
                t += (3 + r.nextInt(25)) * MIN_MS;
            }
        }

        void stolen() {
            long t = dayStart + 7 * 60 * MIN_MS + (long) (r.nextDouble() * (DAY_MS - 12 * 60 * MIN_MS));
            City far;
            do {
                far = Catalogue.CITIES.get(r.nextInt(Catalogue.CITIES.size()));
            } while (dev.vigil.core.feature.CardFold.haversineKm(far.lat(), far.lon(), card.home.lat(),
                    card.home.lon()) < 3000);
            // The real card was used at home a few hours before the clone shows up abroad.
            long before = t - (60 + r.nextInt(300)) * MIN_MS;
            Category homeCat = r.nextBoolean() ? Category.GROCERY : Category.FUEL;
            emit(pickLocal(card.home, homeCat), before, usd(homeCat), Channel.CARD_PRESENT, EntryMode.CHIP, null, null);
            Category[] loot = {Category.ELECTRONICS, Category.JEWELRY, Category.DEPARTMENT, Category.ATM};
            for (int i = 2 + r.nextInt(5); i > 0; i--) {
                Category cat = loot[r.nextInt(loot.length)];
                double e = r.nextDouble();
                EntryMode mode = e < 0.6 ? EntryMode.MAGSTRIPE : e < 0.85 ? EntryMode.CONTACTLESS : EntryMode.MANUAL;
                emit(pickLocal(far, cat), t, cat == Category.ATM ? 200 + 100 * r.nextInt(4) : 100 + r.nextDouble() * 1400,
                        Channel.CARD_PRESENT, mode, r.nextDouble() < 0.1 ? "INVALID_PIN" : null, Scenario.STOLEN_CARD);
                t += (5 + r.nextInt(35)) * MIN_MS;
            }
        }

        void breachVictim() {
            long t = dayStart + (long) (r.nextDouble() * (DAY_MS - 4 * 60 * MIN_MS));
            for (int i = 2 + r.nextInt(4); i > 0; i--) {
                Category cat = r.nextDouble() < 0.5 ? Category.ONLINE_RETAIL
                        : r.nextBoolean() ? Category.ELECTRONICS : Category.DIGITAL_GOODS;
                emit(pickOnline(cat), t, 50 + r.nextDouble() * 750, Channel.ECOMMERCE, EntryMode.ECOMMERCE, null,
                        Scenario.MERCHANT_COMPROMISE);
                t += (4 + r.nextInt(40)) * MIN_MS;
            }
        }

        void bustOut(int part) {
            Category[] spree = {Category.ELECTRONICS, Category.JEWELRY, Category.DEPARTMENT, Category.ATM};
            for (int i = (part == 1 ? 4 : 6) + r.nextInt(6); i > 0; i--) {
                Category cat = spree[r.nextInt(spree.length)];
                boolean isOnline = cat == Category.ELECTRONICS && r.nextBoolean();
                double amount = usd(cat) * (3 + r.nextDouble() * 5);
                emit(isOnline ? pickOnline(cat) : pickLocal(card.home, cat), timeAt(hourFor(cat), card.home), amount,
                        isOnline ? Channel.ECOMMERCE : Channel.CARD_PRESENT,
                        isOnline ? EntryMode.ECOMMERCE : EntryMode.CHIP,
                        r.nextDouble() < 0.08 ? "INSUFFICIENT_FUNDS" : null, Scenario.BUST_OUT);
            }
        }

        // ---- building blocks ----

        Generated emit(Merchant m, long t, double amountUsd, Channel channel, EntryMode mode, String decline,
                       Scenario scenario) {
            t = Math.max(dayStart, Math.min(dayStart + DAY_MS - 1, t));
            String txnCurrency = Catalogue.CURRENCY_OF_COUNTRY.get(m.country());
            String billing = card.currency();
            double txnMajor = amountUsd * Catalogue.perUsd(txnCurrency);
            if (m.category() == Category.ATM) {
                txnMajor = Math.max(20, Math.round(txnMajor / 20) * 20.0);
            }
            double billingMajor = txnMajor / Catalogue.perUsd(txnCurrency) * Catalogue.perUsd(billing);
            String id = world.config.idTag() + "-" + d + "-" + card.index + "-" + (ordinal++);
            Authorization a = new Authorization(id, card.identity.token(), card.identity.keyId(),
                    card.identity.bin(), card.identity.last4(), card.identity.panLength(),
                    Currencies.toMinor(txnMajor, txnCurrency), txnCurrency,
                    Currencies.toMinor(billingMajor, billing), billing, m.id(), m.category().mcc, m.country(),
                    m.lat(), m.lon(), m.online() ? Authorization.NO_UTC_OFFSET : m.utcOffsetMinutes(), channel, mode,
                    decline, t, 0, card.identity.nextToken(), card.identity.nextKeyId());
            Generated g = new Generated(a, t, scenario);
            out.add(g);
            return g;
        }

        Category pickCategory() {
            double x = r.nextDouble();
            Category[] cats = Category.values();
            for (int i = 0; i < cats.length; i++) {
                if (x <= card.categoryCumulative[i]) {
                    return cats[i];
                }
            }
            return cats[cats.length - 1];
        }

        Merchant pickLocal(City city, Category cat) {
            int[] pool = world.local[Catalogue.CITIES.indexOf(city)][cat.ordinal()];
            return world.merchants.get(pool[r.nextInt(pool.length)]);
        }

        Merchant pickOnline(Category cat) {
            int[] pool = world.online[cat.ordinal()];
            return world.merchants.get(pool[r.nextInt(pool.length)]);
        }

        Merchant offshoreIn(String country) {
            for (int k = 0; k < 8; k++) {
                Merchant m = world.merchants.get(world.offshore[r.nextInt(world.offshore.length)]);
                if (m.country().equals(country)) {
                    return m;
                }
            }
            return world.merchants.get(world.offshore[r.nextInt(world.offshore.length)]);
        }

        EntryMode presentEntry() {
            double e = r.nextDouble();
            return e < 0.70 ? EntryMode.CHIP : e < 0.98 ? EntryMode.CONTACTLESS : EntryMode.MAGSTRIPE;
        }

        double hourFor(Category cat) {
            if (cat == Category.STREAMING || r.nextDouble() < 0.07) {
                return r.nextDouble() * 24;
            }
            double h = 0;
            for (int attempt = 0; attempt < 4; attempt++) {
                h = card.peakHour + r.nextGaussian() * card.hourSpread;
                if (h >= cat.openHour && h < cat.closeHour + 1) {
                    break;
                }
            }
            return Math.max(0, Math.min(23.99, h));
        }

        /** A UTC instant within this day whose local time (in {@code city}) is {@code localHour}. */
        long timeAt(double localHour, City city) {
            long localMs = (long) (localHour * 3_600_000L) + r.nextInt(60_000);
            long utcMs = Math.floorMod(localMs - city.utcOffsetMinutes() * MIN_MS, DAY_MS);
            return dayStart + utcMs;
        }

        double usd(Category cat) {
            return Math.max(1.0, cat.medianAmount * card.spendFactor * Math.exp(cat.sigma * r.nextGaussian()));
        }
    }
}
