package dev.vigil.alertapi.ingest;

/** Events per second over a sliding window of whole seconds; thread-safe. */
final class RateWindow {
    private final int seconds;
    private final long[] counts;
    private final long[] slots;

    RateWindow(long windowMs) {
        this.seconds = (int) Math.max(1, windowMs / 1000);
        this.counts = new long[seconds];
        this.slots = new long[seconds];
    }

    synchronized void add(long n) {
        long now = System.currentTimeMillis() / 1000;
        int i = (int) (now % seconds);
        if (slots[i] != now) {
            slots[i] = now;
            counts[i] = 0;
        }
        counts[i] += n;
    }

    synchronized double perSecond() {
        long now = System.currentTimeMillis() / 1000;
        long sum = 0;
        for (int i = 0; i < seconds; i++) {
            if (now - slots[i] < seconds) {
                sum += counts[i];
            }
        }
        return (double) sum / seconds;
    }
}
