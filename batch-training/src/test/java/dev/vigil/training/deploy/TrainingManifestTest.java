package dev.vigil.training.deploy;

import dev.vigil.core.deploy.Manifests;
import dev.vigil.training.cli.TrainMain;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.vigil.core.deploy.Manifests.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/kubernetes/nightly.yaml's training application against the build: TrainMain, its options, the jar. */
class TrainingManifestTest {
    private final Map<String, Object> app = Manifests.one("ScheduledSparkApplication", "vigil-nightly-training");
    private final Map<String, Object> lake = Manifests.one("ScheduledSparkApplication", "vigil-nightly-lake");

    @Test
    void trainingRunsTrainMainWithItsOwnOptionsAfterTheLakesNight() {
        assertEquals(TrainMain.class.getName(), at(app, "spec", "template", "mainClass"));
        List<?> args = at(app, "spec", "template", "arguments");
        Map<String, String> options = Manifests.options(args);
        assertEquals(args.size(), options.size() * 2, "--name value pairs: " + args);
        for (String name : options.keySet()) {
            assertTrue(TrainMain.TRAIN_OPTIONS.contains(name), "--" + name + " is not a training option");
        }
        assertEquals("yesterday", options.get("date"));
        assertEquals("on", options.get("kafka"), "a night that cannot reach Kafka must fail, not publish unpromoted");
        Map<String, String> lakeOptions = Manifests.options(((List<?>) at(lake, "spec", "template", "arguments"))
                .subList(1, ((List<?>) at(lake, "spec", "template", "arguments")).size()));
        assertEquals(lakeOptions.get("lake"), options.get("lake"), "training reads the lake the nightly wrote");
        assertEquals("Forbid", at(app, "spec", "concurrencyPolicy"));
        int lakeHour = Integer.parseInt(((String) at(lake, "spec", "schedule")).split(" ")[1]);
        int trainHour = Integer.parseInt(((String) at(app, "spec", "schedule")).split(" ")[1]);
        assertTrue(trainHour > lakeHour, "training starts after the lake's night");
    }

    @Test
    void theImageHoldsThisBuildsJarWhereTheApplicationLooks() {
        String dockerfile = Manifests.read("deploy/kubernetes/images/nightly.Dockerfile");
        Matcher m = Pattern.compile("(?m)^COPY batch-training/target/vigil-batch-training-(\\S+)\\.jar (\\S+)$").matcher(dockerfile);
        assertTrue(m.find(), "the image copies batch-training's jar");
        assertEquals(Manifests.projectVersion(), m.group(1));
        assertEquals("local://" + m.group(2), at(app, "spec", "template", "mainApplicationFile"));
    }
}
