package dev.vigil.featurelake;

import dev.vigil.core.config.FileLocations;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;

/**
 * The SparkSession every lake job uses: Delta Lake, Java 8 time types in rows (LocalDate, Instant),
 * UTC, and s3a settings for an S3-compatible store taken from the environment
 * ({@code VIGIL_S3_ENDPOINT}, {@code VIGIL_S3_ACCESS_KEY}, {@code VIGIL_S3_SECRET_KEY}); on a real
 * cluster leave those unset and let the default AWS credential chain apply.
 */
public final class LakeSpark {

    private LakeSpark() {
    }

    /** {@code master} null keeps what spark-submit set; tests and ./vigil pass local[*]. */
    public static SparkSession session(String appName, String master) {
        SparkSession.Builder b = SparkSession.builder().appName(appName)
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.datetime.java8API.enabled", "true")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", System.getProperty("vigil.spark.partitions", "8"))
                .config("spark.ui.enabled", System.getProperty("vigil.spark.ui", "false"))
                .config("spark.sql.streaming.kafka.useDeprecatedOffsetFetching", "false")
                .config("spark.databricks.delta.snapshotPartitions", "4")
                // Under .vigil, spelled as Hadoop reads it: Spark's default (the working folder, as an
                // encoded URI) made a folder named 'my%20clone' beside a clone in 'my clone'.
                .config("spark.sql.warehouse.dir",
                        FileLocations.of(Path.of(System.getProperty("vigil.home", ".vigil"), "spark-warehouse")))
                // Delta's auto-optimize stays off: small nightly commits, OPTIMIZE is a separate job.
                .config("spark.databricks.delta.properties.defaults.enableChangeDataFeed", "false");
        if (master != null) {
            b = b.master(master);
        }
        String endpoint = System.getenv("VIGIL_S3_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            b = b.config("spark.hadoop.fs.s3a.endpoint", endpoint)
                    .config("spark.hadoop.fs.s3a.endpoint.region", "us-east-1")
                    .config("spark.hadoop.fs.s3a.path.style.access", "true")
                    .config("spark.hadoop.fs.s3a.connection.ssl.enabled", String.valueOf(endpoint.startsWith("https")))
                    .config("spark.hadoop.fs.s3a.aws.credentials.provider",
                            "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
                    .config("spark.hadoop.fs.s3a.access.key", required("VIGIL_S3_ACCESS_KEY"))
                    .config("spark.hadoop.fs.s3a.secret.key", required("VIGIL_S3_SECRET_KEY"))
                    .config("spark.hadoop.fs.s3a.change.detection.mode", "none");
        }
        return b.getOrCreate();
    }

    private static String required(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " must be set when VIGIL_S3_ENDPOINT is (./vigil sets both)");
        }
        return v;
    }
}
