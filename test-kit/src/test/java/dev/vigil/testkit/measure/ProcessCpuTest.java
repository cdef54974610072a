package dev.vigil.testkit.measure;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessCpuTest {
    @Test
    void samplesTheProcessesItWatchesAndLeavesOutThoseWithoutAPid() {
        long self = ProcessHandle.current().pid();
        ProcessCpu cpu = new ProcessCpu(Map.of("harness", self, "broker", 0L));
        Map<String, Duration> first = cpu.sample();
        assertEquals(java.util.Set.of("harness"), first.keySet());
        assertTrue(first.get("harness").compareTo(Duration.ZERO) > 0, "a running JVM has used CPU");
    }

    @Test
    void countsAChildProcessWithItsParent() throws Exception {
        // A shell that burns CPU in a child: the parent's tree includes it (a script's subshell holds the engine).
        Process shell = new ProcessBuilder("sh", "-c", "sh -c 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; sleep 30' & wait")
                .start();
        try {
            Duration tree = Duration.ZERO;
            for (int i = 0; i < 200 && tree.compareTo(Duration.ofMillis(200)) < 0; i++) {
                Thread.sleep(50);
                tree = ProcessCpu.treeCpu(shell.pid()).orElseThrow();
            }
            Duration own = shell.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
            assertTrue(tree.compareTo(own.plusMillis(100)) > 0, "the child's CPU counts: tree " + tree + ", own " + own);
        } finally {
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
        }
    }

    @Test
    void aGoneProcessIsAbsent() {
        assertFalse(ProcessCpu.treeCpu(Integer.MAX_VALUE - 7).isPresent());
    }

    @Test
    void usageBetweenTwoSamplesIsCpuSecondsAndCores() {
        var u = ProcessCpu.between(Map.of("engine", Duration.ofSeconds(10), "gone", Duration.ofSeconds(1)),
                Map.of("engine", Duration.ofSeconds(40)), 20);
        assertEquals(Map.of("engine", new ProcessCpu.Usage(30, 1.5)), u);
    }
}
