package dev.vigil.testkit.history;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import dev.vigil.testkit.world.DayTraffic;
import dev.vigil.testkit.world.Generated;
import dev.vigil.testkit.world.Simulator;
import dev.vigil.testkit.world.World;
import dev.vigil.testkit.world.WorldConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistorySenderTest {
    private static final LocalDate START = LocalDate.of(2024, 5, 1);

    /** Writes 4 days of a small world; returns its authorizations in the order written. */
    private static List<Authorization> write(Path dir) throws Exception {
        Simulator sim = new Simulator(new World(WorldConfig.of(3, 200, START), new PanTokenizer(TokenKey.development())));
        List<Authorization> written = new ArrayList<>();
        try (HistoryWriter w = new HistoryWriter(dir)) {
            for (int d = 0; d < 4; d++) {
                DayTraffic day = sim.next();
                for (Generated g : day.authorizations()) {
                    w.authorization(g.authorization(), null);
                    written.add(g.authorization());
                }
            }
        }
        return written;
    }

    @Test
    void readsBackTheDaysFromTheFirstDateAskedInTheOrderWritten(@TempDir Path dir) throws Exception {
        List<Authorization> written = write(dir);
        LocalDate from = START.plusDays(2);
        List<LocalDate> dates = HistorySender.dates(dir, from);
        assertEquals(List.of(from, from.plusDays(1)), dates);

        List<HistorySender.Line> read = new ArrayList<>();
        long n = HistorySender.read(dir, dates, read::add);
        List<Authorization> expected = written.stream()
                .filter(a -> !LocalDate.ofEpochDay(Math.floorDiv(a.eventTimeMs(), 86_400_000L)).isBefore(from)).toList();
        assertTrue(expected.size() > 100, "the small world has traffic on those days");
        assertEquals(expected.size(), n);
        for (int i = 0; i < expected.size(); i++) {
            Authorization a = expected.get(i);
            HistorySender.Line line = read.get(i);
            assertEquals(a.authorizationId(), line.authorizationId());
            assertEquals(a.cardToken(), line.cardToken(), "keyed by card token, so a card's records stay in order");
            assertArrayEquals(AuthorizationCodec.INSTANCE.encode(a), line.value());
        }
        assertEquals(4, HistorySender.dates(dir, null).size());
    }

    @Test
    void aLineThatIsNotAnAuthorizationStopsTheSendWithItsPlace(@TempDir Path dir) throws Exception {
        write(dir);
        Path part = dir.resolve("authorizations/date=" + START + "/part-00000.jsonl");
        Files.writeString(part, "{\"not\":\"an authorization\"}\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        var e = assertThrows(IllegalArgumentException.class,
                () -> HistorySender.read(dir, List.of(START), line -> { }));
        assertTrue(e.getMessage().contains("part-00000.jsonl line "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HistorySender.dates(dir.resolve("none"), null));
    }
}
