package dev.vigil.featurelake;

import org.apache.spark.sql.SparkSession;

/** One local SparkSession per test JVM (starting one costs seconds); stopped when the JVM exits. */
public final class SharedSpark {
    private static SparkSession session;

    private SharedSpark() {
    }

    public static synchronized SparkSession get() {
        if (session == null) {
            System.setProperty("vigil.spark.partitions", "4");
            session = LakeSpark.session("vigil-lake-tests", "local[2]");
            session.sparkContext().setLogLevel("WARN");
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }
}
