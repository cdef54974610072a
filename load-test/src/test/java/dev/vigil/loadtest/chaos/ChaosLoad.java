package dev.vigil.loadtest.chaos;

/**
 * A scenario's load in the two forms of the suite. The full form carries the figures that matter in
 * production (5,000/s under three TaskManager kills, 100,000 hostile records); the short form, which
 * {@code ./vigil test} runs, the same faults at a low rate: correctness only.
 *
 * @param rate    authorizations per second (the nightly scenario sends none)
 * @param seconds how long the traffic runs (the nightly scenario: days of history)
 * @param cards   the world's cards
 * @param extra   what the scenario counts besides: kills, hostile records, readers, nights or days of history
 */
record ChaosLoad(int rate, int seconds, int cards, int extra) {

    static ChaosLoad of(String scenario, boolean full) {
        return switch (scenario) {
            case "tm-kill" -> full ? new ChaosLoad(5000, 90, 20000, 3) : new ChaosLoad(200, 30, 2000, 1);
            case "hostile" -> full ? new ChaosLoad(3000, 60, 20000, 100_000) : new ChaosLoad(300, 20, 2000, 2000);
            case "broker-restart" -> full ? new ChaosLoad(1000, 60, 10000, 0) : new ChaosLoad(200, 30, 2000, 0);
            case "bad-models" -> full ? new ChaosLoad(500, 30, 5000, 0) : new ChaosLoad(100, 20, 1000, 0);
            // readers: analysts reading while about half the traffic alerts
            case "api" -> full ? new ChaosLoad(1000, 60, 10000, 4) : new ChaosLoad(100, 20, 1000, 2);
            // days of history, cards, nights
            case "nightly-crash" -> full ? new ChaosLoad(0, 24, 3000, 4) : new ChaosLoad(0, 16, 400, 1);
            // cards, days of history in the lake, then one kill
            case "bootstrap" -> full ? new ChaosLoad(2000, 60, 3000, 30) : new ChaosLoad(200, 30, 500, 10);
            default -> throw new IllegalArgumentException("no load for scenario " + scenario);
        };
    }
}
