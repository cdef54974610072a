package dev.vigil.loadtest.shadow;

import dev.vigil.core.json.JsonTree;
import dev.vigil.loadtest.local.LocalVigil;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parallel run as a user runs it, short: {@code ./vigil shadow} on a broker of its own, with the
 * golden model published as the champion, so that the Flink job and the Spark scorer each decide 50
 * generated authorizations a second for 20 s. Both run core's fold per card and the same model, and
 * neither sees profiles or labels here, so the run must come out at parity: nothing missing on either
 * side, every score, action, card counter and feature alike. No latency is asserted.
 */
class ShadowIT {
    private static final Path HOME = LocalVigil.ROOT.resolve(".vigil/test/shadow");
    private static final String KAFKA_PORT = System.getProperty("vigil.test.shadow.kafka.port", "29292");

    @Test
    void flinkAndSparkDecideTheSameAuthorizationsAlike() throws Exception {
        LocalVigil.deleteRecursively(HOME);
        LocalVigil vigil = new LocalVigil(HOME, LocalVigil.ROOT.resolve(".vigil/test/shadow-logs"), Map.of(
                "VIGIL_KAFKA_PORT", KAFKA_PORT,
                "VIGIL_KAFKA_DIR", HOME.resolve("kafka").toString(),
                "VIGIL_KAFKA_BOOTSTRAP", "127.0.0.1:" + KAFKA_PORT));
        Path report = HOME.resolve("report");
        String model = LocalVigil.ROOT.resolve("core/src/test/resources/golden/model.json").toString();

        String out = vigil.run("shadow", "--model", model, "--line", "shadow-it", "--rate", "50", "--duration", "20s",
                "--cards", "150", "--wait", "3m", "--report", report.toString());

        assertTrue(out.contains("AT PARITY"), out);
        Map<String, Object> r = JsonTree.object(JsonTree.parse(Files.readAllBytes(report.resolve("report.json"))), "");
        long sent = (long) JsonTree.number(r, "sent");
        assertTrue(sent >= 900, "50/s for 20 s: " + sent);
        assertEquals(sent, (long) JsonTree.number(r, "decided_by_both"));
        assertEquals(sent, (long) JsonTree.number(r, "features_compared"));
        assertEquals(0, (long) JsonTree.number(r, "action_mismatches"));
        assertEquals(0, (long) JsonTree.number(r, "counter_mismatches"));
        assertEquals(Boolean.TRUE, r.get("at_parity"));
        assertTrue(Files.readString(report.resolve("report.html")).contains("at parity"));
    }
}
