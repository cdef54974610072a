package dev.vigil.featurelake.cli;

import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.nightly.Nightly;
import dev.vigil.featurelake.profiles.MerchantProfiles;
import dev.vigil.featurelake.quality.QualityRules;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDate;

/**
 * The lake's part of the night: which nights, which lake, whether Kafka is landed from and published
 * to, and the quality thresholds. A picocli mixin: the night's entry point (batch-training's
 * {@code NightMain}) adds the training options beside these, so an option neither knows is refused.
 */
public final class NightOptions {
    @Option(names = "--date", description = "one night: YYYY-MM-DD or 'yesterday' (UTC)")
    String date;

    @Option(names = "--from", description = "the first night of a backfill")
    String from;

    @Option(names = "--to", description = "the last night of a backfill")
    String to;

    @Option(names = "--lake", description = "the lake's URI (file://, s3a://); default <vigil.home>/lake")
    String lake;

    @Option(names = "--master", description = "Spark master; default local[*], or spark-submit's")
    String master;

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: -Dvigil.kafka.bootstrap, else 127.0.0.1:9092)")
    String bootstrap = System.getProperty("vigil.kafka.bootstrap", "127.0.0.1:9092");

    @Option(names = "--ingest", converter = KafkaModeText.class,
            description = "land the topics: auto (if the broker answers), on (fail if it does not), off")
    Nightly.KafkaMode ingest = Nightly.KafkaMode.AUTO;

    @Option(names = "--publish", converter = KafkaModeText.class,
            description = "publish the profiles (and let training promote): auto, on or off")
    Nightly.KafkaMode publish = Nightly.KafkaMode.AUTO;

    @Option(names = "--maturity-days", description = "days a merchant's labels need before its risk counts")
    int maturityDays = MerchantProfiles.DEFAULT_MATURITY_DAYS;

    @Option(names = "--min-day-ratio", description = "a day's authorizations may fall to this share of the day before")
    double minDayRatio = QualityRules.DEFAULTS.minDayRatio();

    @Option(names = "--max-day-ratio", description = "... and rise to this multiple of it")
    double maxDayRatio = QualityRules.DEFAULTS.maxDayRatio();

    @Option(names = "--max-null-drift", description = "a column's null rate may move this much from the day before")
    double maxNullDrift = QualityRules.DEFAULTS.maxNullDrift();

    @Option(names = "--freshness-hours", description = "the day's newest authorization at most this long before its end")
    double freshnessHours = QualityRules.DEFAULTS.freshnessHours();

    @Option(names = "--max-quarantined", description = "share of landed records allowed into quarantine")
    double maxQuarantined = QualityRules.DEFAULTS.maxQuarantined();

    @Option(names = "--out", description = "where each night's summary goes; default <vigil.home>/runs/nightly")
    Path out = Path.of(System.getProperty("vigil.home", ".vigil"), "runs", "nightly");

    @Option(names = "--load", description = "land this history folder (./vigil generate or replay output) first")
    String load;

    /** The first night; after {@link #check()}, a date. */
    public LocalDate first() {
        return Nightly.night(date != null ? date : from);
    }

    /** The last night: the one training runs for. */
    public LocalDate last() {
        return Nightly.night(date != null ? date : to);
    }

    /**
     * Checks the dates (one night, or a range in order) and resolves "yesterday" once, so the lake
     * and training agree on it even across midnight; checks that {@code --load} names a folder.
     *
     * @throws IllegalArgumentException when the dates are missing, mixed or out of order, or the
     *                                  history folder is not one
     * @throws java.time.DateTimeException when a date is not one
     */
    public void check() {
        if (load != null && !java.nio.file.Files.isDirectory(Path.of(load))) {
            throw new IllegalArgumentException("--load " + load + " is not a folder written by ./vigil generate or replay");
        }
        if (date != null && (from != null || to != null)) {
            throw new IllegalArgumentException("either --date D or --from D --to D, not both");
        }
        if (date == null && (from == null || to == null)) {
            throw new IllegalArgumentException("nightly needs --date D or --from D --to D");
        }
        if (date != null) {
            date = Nightly.night(date).toString();
        } else {
            from = Nightly.night(from).toString();
            to = Nightly.night(to).toString();
            if (last().isBefore(first())) {
                throw new IllegalArgumentException("--to is before --from");
            }
        }
    }

    public Lake lake() {
        return new Lake(lake != null ? lake : LakeMain.defaultLake());
    }

    /** The lake's URI as given, or null for the default (training then picks the same default). */
    public String lakeUri() {
        return lake;
    }

    public String master() {
        return master;
    }

    public String bootstrap() {
        return bootstrap;
    }

    public Nightly.KafkaMode publish() {
        return publish;
    }

    Nightly.KafkaMode ingest() {
        return ingest;
    }

    QualityRules rules() {
        return new QualityRules(minDayRatio, maxDayRatio, maxNullDrift, freshnessHours, maxQuarantined);
    }

    /** {@code --ingest}, {@code --publish} and training's {@code --kafka}: on, off or auto. */
    public static final class KafkaModeText implements ITypeConverter<Nightly.KafkaMode> {
        @Override
        public Nightly.KafkaMode convert(String value) {
            try {
                return Nightly.KafkaMode.parse("it", value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("takes on, off or auto, not '" + value + "'");
            }
        }
    }
}
