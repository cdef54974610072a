package dev.vigil.batchtraining.deploy;

import dev.vigil.core.deploy.Manifests;
import dev.vigil.featurelake.nightly.Nightly;
import dev.vigil.batchtraining.night.NightMain;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.vigil.core.deploy.Manifests.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kubernetes/nightly.yaml against the build: one application runs the night's entry point,
 * every argument is one the lake or training reads, the image puts this build's jar where the
 * application looks, on the build's Spark, and the class names in its Spark configuration load.
 */
class NightManifestTest {
    private final Map<String, Object> app = Manifests.one("ScheduledSparkApplication", "vigil-nightly");

    @Test
    void theNightRunsOnceADayAndNeverOverlaps() {
        String cron = at(app, "spec", "schedule");
        assertEquals(5, cron.trim().split("\\s+").length, cron);
        assertEquals("Forbid", at(app, "spec", "concurrencyPolicy"));
        assertEquals("UTC", at(app, "spec", "timeZone"));
        assertTrue(((Number) at(app, "spec", "template", "restartPolicy", "onFailureRetries")).intValue() > 0);
        assertEquals(1, Manifests.ofKind("ScheduledSparkApplication").size(), "the night is one application");
    }

    @Test
    void theMainClassIsTheNightsAndEveryArgumentIsReadByTheLakeOrTraining() {
        assertEquals(NightMain.class.getName(), at(app, "spec", "template", "mainClass"));
        List<?> args = at(app, "spec", "template", "arguments");
        String[] argv = args.stream().map(String::valueOf).toArray(String[]::new);
        assertEquals(args.size(), Manifests.options(args).size() * 2, "--name value pairs: " + args);

        // The night's own parser refuses any option neither the lake nor training reads.
        var plan = NightMain.plan(argv);
        assertTrue(plan.train(), "the night trains");
        assertEquals(LocalDate.now(ZoneOffset.UTC).minusDays(1), plan.lake().last());
        assertTrue(plan.lake().lakeUri().startsWith("s3a://"), "the lake on object storage");
        assertEquals(Nightly.KafkaMode.ON, plan.training().kafka(),
                "a night that cannot reach Kafka must fail, not publish unpromoted");
        assertTrue(plan.training().store().startsWith("s3a://"), "models on object storage");
    }

    @Test
    void theImageHoldsThisBuildsJarWhereTheApplicationLooksAndTheBuildsSpark() {
        String dockerfile = Manifests.read("deploy/kubernetes/images/nightly.Dockerfile");
        Matcher m = Pattern.compile("(?m)^COPY batch-training/target/vigil-batch-training-(\\S+)\\.jar (\\S+)$").matcher(dockerfile);
        assertTrue(m.find(), "the image copies batch-training's jar");
        assertEquals(Manifests.projectVersion(), m.group(1), "the jar this build makes");
        assertEquals("local://" + m.group(2), at(app, "spec", "template", "mainApplicationFile"));
        String spark = org.apache.spark.package$.MODULE$.SPARK_VERSION();
        assertEquals(spark, at(app, "spec", "template", "sparkVersion"));
        assertTrue(dockerfile.contains("FROM apache/spark:" + spark), "the image's Spark is the build's " + spark);
    }

    @Test
    void everyClassNamedInSparkConfLoads() throws ClassNotFoundException {
        Map<String, Object> conf = at(app, "spec", "template", "sparkConf");
        int classes = 0;
        for (Object value : conf.values()) {
            String v = String.valueOf(value);
            if (v.matches("([a-z][a-z0-9_]*\\.)+[A-Z]\\w*")) {
                Class.forName(v, false, getClass().getClassLoader());
                classes++;
            }
        }
        assertTrue(classes >= 3, "extension, catalog and credentials provider");
    }
}
