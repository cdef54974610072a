package dev.vigil.testkit.world;

import dev.vigil.core.token.CardIdentity;
import dev.vigil.core.token.Luhn;
import dev.vigil.core.token.PanTokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The synthetic world: cards with homes and habits, merchants in cities and online. Built once
 * from a {@link WorldConfig}; the same config always gives the same world.
 */
public final class World {
    final WorldConfig config;
    final Card[] cards;
    final List<Merchant> merchants = new ArrayList<>();
    /** [city][category] -> merchant indexes of card-present merchants. */
    final int[][][] local;
    /** [category] -> merchant indexes of online merchants. */
    final int[][] online;
    /** Online merchants registered in countries fraudsters cash out through. */
    final int[] offshore;
    private final java.util.function.Consumer<String> panWitness;

    public World(WorldConfig config, PanTokenizer tokenizer) {
        this(config, tokenizer, null);
    }

    /**
     * @param panWitness told each PAN as it is made, before it is tokenized and dropped: the PAN
     *                   scanner's only way to know which card numbers went in (it keeps salted
     *                   hashes); null everywhere else
     */
    public World(WorldConfig config, PanTokenizer tokenizer, java.util.function.Consumer<String> panWitness) {
        this.config = config;
        this.panWitness = panWitness;
        SplittableRandom rnd = new SplittableRandom(config.seed());
        int cities = Catalogue.CITIES.size();
        Category[] categories = Category.values();
        local = new int[cities][categories.length][];
        int perCityCategory = Math.max(3, Math.min(400, config.cards() / 150));
        for (int c = 0; c < cities; c++) {
            City city = Catalogue.CITIES.get(c);
            for (Category cat : categories) {
                if (cat.online()) {
                    local[c][cat.ordinal()] = new int[0];
                    continue;
                }
                int n = Math.max(2, (int) Math.round(perCityCategory * cat.share * 8 * city.weight() / 4));
                int[] ids = new int[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = addMerchant(String.format("m-%s-%s-%04d", city.code().toLowerCase(), cat.mcc, i), cat,
                            city.country(), city.lat() + rnd.nextDouble(-0.08, 0.08),
                            city.lon() + rnd.nextDouble(-0.08, 0.08), city.utcOffsetMinutes(), false);
                }
                local[c][cat.ordinal()] = ids;
            }
        }
        online = new int[categories.length][];
        int perCategoryOnline = Math.max(4, Math.min(300, config.cards() / 200));
        for (Category cat : categories) {
            if (cat.present()) {
                online[cat.ordinal()] = new int[0];
                continue;
            }
            int[] ids = new int[perCategoryOnline];
            for (int i = 0; i < ids.length; i++) {
                String country = Catalogue.ONLINE_COUNTRIES.get(rnd.nextInt(Catalogue.ONLINE_COUNTRIES.size()));
                ids[i] = addMerchant(String.format("w-%s-%s-%04d", country.toLowerCase(), cat.mcc, i), cat, country,
                        Double.NaN, Double.NaN, 0, true);
            }
            online[cat.ordinal()] = ids;
        }
        List<Integer> off = new ArrayList<>();
        for (String country : Catalogue.FRAUD_COUNTRIES) {
            for (int i = 0; i < 4; i++) {
                Category cat = i % 2 == 0 ? Category.ELECTRONICS : Category.ONLINE_RETAIL;
                off.add(addMerchant(String.format("w-%s-%s-x%d", country.toLowerCase(), cat.mcc, i), cat, country,
                        Double.NaN, Double.NaN, 0, true));
            }
        }
        offshore = off.stream().mapToInt(Integer::intValue).toArray();

        cards = new Card[config.cards()];
        double totalWeight = Catalogue.CITIES.stream().mapToDouble(City::weight).sum();
        for (int i = 0; i < cards.length; i++) {
            SplittableRandom r = new SplittableRandom(mix(config.seed(), 1, i));
            City home = pickCity(r, totalWeight);
            cards[i] = makeCard(i, home, r, tokenizer, cities);
        }
    }

    private int addMerchant(String id, Category cat, String country, double lat, double lon, int offset,
                            boolean isOnline) {
        merchants.add(new Merchant(merchants.size(), id, cat, country, lat, lon, offset, isOnline));
        return merchants.size() - 1;
    }

    private static City pickCity(SplittableRandom r, double totalWeight) {
        double x = r.nextDouble() * totalWeight;
        for (City c : Catalogue.CITIES) {
            x -= c.weight();
            if (x <= 0) {
                return c;
            }
        }
        return Catalogue.CITIES.get(0);
    }

    private Card makeCard(int index, City home, SplittableRandom r, PanTokenizer tokenizer, int cities) {
        List<String> bins = Catalogue.BINS.get(home.country());
        String bin = bins.get(r.nextInt(bins.size()));
        int length = bin.startsWith("37") ? 15 : 16;
        StringBuilder pan = new StringBuilder(bin);
        while (pan.length() < length - 1) {
            pan.append((char) ('0' + r.nextInt(10)));
        }
        pan.append(Luhn.checkDigit(pan));
        if (panWitness != null) {
            panWitness.accept(pan.toString());
        }
        CardIdentity identity = tokenizer.tokenizePan(pan.toString());
        pan.setLength(0); // the clear PAN goes no further than this line

        Category[] cats = Category.values();
        double[] cumulative = new double[cats.length];
        double sum = 0;
        for (Category cat : cats) {
            sum += cat.share * Math.exp(r.nextGaussian() * 0.6);
            cumulative[cat.ordinal()] = sum;
        }
        for (int k = 0; k < cumulative.length; k++) {
            cumulative[k] /= sum;
        }
        int cityIndex = Catalogue.CITIES.indexOf(home);
        int[][] regulars = new int[cats.length][];
        for (Category cat : cats) {
            int[] pool = local[cityIndex][cat.ordinal()];
            regulars[cat.ordinal()] = pool.length == 0 ? new int[0]
                    : new int[]{pool[r.nextInt(pool.length)], pool[r.nextInt(pool.length)]};
        }
        double dailyRate = Math.exp(r.nextGaussian() * 0.5) * 1.9;
        double spend = Math.exp(r.nextGaussian() * 0.4);
        return new Card(index, identity, home, dailyRate, spend, cumulative, 0.15 + r.nextDouble() * 0.35,
                14 + r.nextGaussian() * 2.5, 2.5 + r.nextDouble() * 2.0, regulars);
    }

    /** Deterministic seed for a (seed, stream, index) triple (SplitMix64 finalizer). */
    static long mix(long seed, long stream, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public WorldConfig config() {
        return config;
    }

    public int cardCount() {
        return cards.length;
    }

    public int merchantCount() {
        return merchants.size();
    }
}
