package dev.vigil.lake.deploy;

import dev.vigil.core.deploy.Manifests;
import dev.vigil.lake.cli.LakeMain;
import dev.vigil.lake.nightly.Nightly;
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
 * deploy/kubernetes/nightly.yaml's lake application against the build: LakeMain, its nightly options,
 * the jar the image puts where the application looks, the build's Spark, and class names that load.
 */
class NightlyManifestTest {
    private final Map<String, Object> app = Manifests.one("ScheduledSparkApplication", "vigil-nightly-lake");

    @Test
    void theScheduleRunsOnceADayAndNeverOverlaps() {
        String cron = at(app, "spec", "schedule");
        assertEquals(5, cron.trim().split("\\s+").length, cron);
        assertEquals("Forbid", at(app, "spec", "concurrencyPolicy"));
        assertEquals("UTC", at(app, "spec", "timeZone"));
        assertTrue(((Number) at(app, "spec", "template", "restartPolicy", "onFailureRetries")).intValue() > 0);
    }

    @Test
    void theMainClassAndEveryArgumentAreLakeMains() {
        assertEquals(LakeMain.class.getName(), at(app, "spec", "template", "mainClass"));
        List<?> args = at(app, "spec", "template", "arguments");
        assertEquals("nightly", args.get(0));
        Map<String, String> options = Manifests.options(args.subList(1, args.size()));
        assertEquals(args.size() - 1, options.size() * 2, "--name value pairs: " + args);
        for (String name : options.keySet()) {
            assertTrue(LakeMain.NIGHTLY_OPTIONS.contains(name), "--" + name + " is not a nightly option");
        }
        assertEquals(LocalDate.now(ZoneOffset.UTC).minusDays(1), Nightly.night(options.get("date")));
        assertTrue(options.get("lake").startsWith("s3a://"), "the lake on object storage");
    }

    @Test
    void theImageHoldsThisBuildsJarWhereTheApplicationLooksAndTheBuildsSpark() {
        String dockerfile = Manifests.read("deploy/kubernetes/images/nightly.Dockerfile");
        String version = Manifests.projectVersion();
        Matcher m = Pattern.compile("(?m)^COPY feature-lake/target/vigil-feature-lake-(\\S+)\\.jar (\\S+)$").matcher(dockerfile);
        assertTrue(m.find(), "the image copies feature-lake's jar");
        assertEquals(version, m.group(1), "the jar this build makes");
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
