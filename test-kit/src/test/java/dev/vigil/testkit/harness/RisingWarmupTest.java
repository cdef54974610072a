package dev.vigil.testkit.harness;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RisingWarmupTest {

    @Test
    void theWarmupRisesInEvenStepsToTheRateAndTheRunKeepsItsLength() {
        List<LoadScenario.Phase> phases = LatencyHarness.risingWarmup(
                LoadScenario.STEADY.phases(5000, Duration.ofSeconds(120)), Duration.ofSeconds(60), 1000);

        assertEquals(LatencyHarness.WARMUP_STEPS + 1, phases.size());
        double[] rates = phases.stream().mapToDouble(LoadScenario.Phase::rate).toArray();
        assertEquals(1800, rates[0], 1e-9);
        for (int i = 1; i < rates.length - 1; i++) {
            assertTrue(rates[i] > rates[i - 1], "rates rise: " + java.util.Arrays.toString(rates));
        }
        assertEquals(5000, rates[LatencyHarness.WARMUP_STEPS - 1], 1e-9);
        assertEquals(5000, rates[LatencyHarness.WARMUP_STEPS], 1e-9);
        assertEquals(Duration.ofSeconds(60), phases.get(LatencyHarness.WARMUP_STEPS).duration());
        assertEquals(Duration.ofSeconds(120), phases.stream().map(LoadScenario.Phase::duration).reduce(Duration.ZERO, Duration::plus));
    }

    @Test
    void aSpikeKeepsItsLaterPhasesAndNoWarmupLeavesThePhasesAlone() {
        List<LoadScenario.Phase> spike = LoadScenario.SPIKE.phases(1000, Duration.ofSeconds(100));
        List<LoadScenario.Phase> warmed = LatencyHarness.risingWarmup(spike, Duration.ofSeconds(10), 200);
        assertEquals(spike.subList(1, 3), warmed.subList(warmed.size() - 2, warmed.size()));

        assertEquals(spike, LatencyHarness.risingWarmup(spike, Duration.ZERO, 200));
        assertEquals(spike, LatencyHarness.risingWarmup(spike, Duration.ofSeconds(10), 1000));
        assertEquals(spike, LatencyHarness.risingWarmup(spike, Duration.ofSeconds(40), 200),
                "a warm-up as long as the first phase stays at its rate");
    }
}
