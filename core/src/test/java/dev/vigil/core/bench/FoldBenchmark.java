package dev.vigil.core.bench;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.CardProfile;
import dev.vigil.core.event.Channel;
import dev.vigil.core.event.EntryMode;
import dev.vigil.core.event.MerchantProfile;
import dev.vigil.core.feature.CardFold;
import dev.vigil.core.feature.CardState;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.json.AuthorizationCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Cost of the per-authorization work in core: fold + features (what the Flink operator does per
 * event) and the same preceded by decoding the JSON record. Run with {@code ./vigil bench core};
 * {@code -prof gc} reports bytes allocated per authorization ({@code gc.alloc.rate.norm}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class FoldBenchmark {
    private static final int CARDS = 256;
    private static final int EVENTS = 1 << 16;

    private Authorization[] events;
    private byte[][] encoded;
    private CardState[] states;
    private CardProfile[] profiles;
    private MerchantProfile merchant;
    private final float[] vector = FeatureSet.newVector();
    private int next;

    @Setup(Level.Trial)
    public void createTraffic() {
        Random r = new Random(42);
        events = new Authorization[EVENTS];
        encoded = new byte[EVENTS][];
        long t = 1_700_000_000_000L;
        String[] countries = {"US", "US", "US", "GB", "FR", "DE"};
        for (int i = 0; i < EVENTS; i++) {
            t += r.nextInt(20_000);
            int card = i % CARDS;
            long amount = 100 + (long) Math.exp(r.nextGaussian() * 1.2 + 8);
            events[i] = new Authorization("auth-" + i, "tok" + "x".repeat(20) + card, "dev", "411111", "1111", 16,
                    amount, "USD", amount, "USD", "merchant-" + r.nextInt(500), String.valueOf(5000 + r.nextInt(900)),
                    countries[r.nextInt(countries.length)], 30 + r.nextDouble() * 20, -120 + r.nextDouble() * 50,
                    -300, r.nextBoolean() ? Channel.CARD_PRESENT : Channel.ECOMMERCE, EntryMode.CHIP,
                    r.nextInt(50) == 0 ? "INSUFFICIENT_FUNDS" : null, t, i / CARDS, null, null);
            encoded[i] = AuthorizationCodec.INSTANCE.encode(events[i]);
        }
        float[] hours = new float[24];
        java.util.Arrays.fill(hours, 1f / 24);
        profiles = new CardProfile[CARDS];
        for (int c = 0; c < CARDS; c++) {
            profiles[c] = new CardProfile("tok" + "x".repeat(20) + c, LocalDate.of(2023, 11, 10), 40, 60, 30, 120,
                    62, 33, hours, Map.of("5411", 40.0, "5812", 25.0), List.of("US"),
                    List.of("merchant-1", "merchant-2"), 40, -100, 0, null);
        }
        merchant = new MerchantProfile("merchant-1", LocalDate.of(2023, 11, 10), 5000, 900, 55, 0.002, 0.01, 3);
    }

    @Setup(Level.Iteration)
    public void freshStates() {
        states = new CardState[CARDS];
        for (int c = 0; c < CARDS; c++) {
            states[c] = new CardState();
        }
        // Warm every card with history so features run their full paths.
        for (int i = 0; i < EVENTS / 2; i++) {
            CardFold.apply(states[i % CARDS], events[i]);
        }
        next = EVENTS / 2;
    }

    private int advance() {
        int i = next;
        next = (i + 1 == EVENTS) ? EVENTS / 2 : i + 1;
        return i;
    }

    @Benchmark
    public float foldAndFeatures() {
        int i = advance();
        CardFold.step(states[i % CARDS], events[i], profiles[i % CARDS], merchant, vector);
        return vector[0];
    }

    @Benchmark
    public float decodeFoldAndFeatures() {
        int i = advance();
        Authorization a = AuthorizationCodec.INSTANCE.decode(encoded[i]).value();
        CardFold.step(states[i % CARDS], a, profiles[i % CARDS], merchant, vector);
        return vector[0];
    }
}
