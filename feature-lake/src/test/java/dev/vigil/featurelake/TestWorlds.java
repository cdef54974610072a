package dev.vigil.featurelake;

import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import dev.vigil.testkit.history.HistoryWriter;
import dev.vigil.testkit.world.DayTraffic;
import dev.vigil.testkit.world.Generated;
import dev.vigil.testkit.world.Simulator;
import dev.vigil.testkit.world.World;
import dev.vigil.testkit.world.WorldConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;

/** Small synthetic worlds written as history files, the way ./vigil generate writes them. */
public final class TestWorlds {
    public static final LocalDate START = LocalDate.of(2024, 3, 1);

    private TestWorlds() {
    }

    /** What was written: the folder and how many authorizations and labels it holds. */
    public record History(Path dir, long authorizations, int labels) {
    }

    public static History generate(Path dir, int cards, int days, long seed) throws IOException {
        World world = new World(new WorldConfig(seed, cards, START, "t" + seed, 3.0),
                new PanTokenizer(TokenKey.development()));
        Simulator sim = new Simulator(world);
        long authorizations;
        int labels;
        try (HistoryWriter writer = new HistoryWriter(dir)) {
            for (int d = 0; d < days; d++) {
                DayTraffic day = sim.next();
                for (Generated g : day.authorizations()) {
                    writer.authorization(g.authorization(), g.scenario() == null ? null : g.scenario().name());
                }
                day.chargebacks().forEach(writer::label);
            }
            authorizations = writer.authorizations();
            labels = writer.labels();
        }
        return new History(dir, authorizations, labels);
    }
}
