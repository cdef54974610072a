package dev.vigil.batchtraining.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Training settings: defaults in {@code training.properties} on the classpath, overridden by a
 * file ({@code --config}) and then by single {@code --set key=value} options. Unknown keys are an
 * error, so a typo never trains with a silent default.
 */
public final class TrainingConfig {
    private final Properties p;

    private TrainingConfig(Properties p) {
        this.p = p;
    }

    public static TrainingConfig load(Path file, Map<String, String> overrides) {
        Properties defaults = new Properties();
        try (InputStream in = TrainingConfig.class.getResourceAsStream("/training.properties")) {
            defaults.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("training.properties missing from the classpath", e);
        }
        Properties p = new Properties();
        p.putAll(defaults);
        if (file != null) {
            try (InputStream in = Files.newInputStream(file)) {
                Properties f = new Properties();
                f.load(in);
                f.forEach((k, v) -> p.put(known(defaults, (String) k), v));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        overrides.forEach((k, v) -> p.put(known(defaults, k), v));
        return new TrainingConfig(p);
    }

    private static String known(Properties defaults, String key) {
        if (!defaults.containsKey(key)) {
            throw new IllegalArgumentException("unknown training setting '" + key + "'; known: " + defaults.stringPropertyNames());
        }
        return key;
    }

    /** These settings with some replaced (keys must exist): how tuning tries a candidate. */
    public TrainingConfig with(Map<String, String> overrides) {
        Properties copy = all();
        overrides.forEach((k, v) -> {
            if (!copy.containsKey(k)) {
                throw new IllegalArgumentException("unknown training setting '" + k + "'");
            }
            copy.put(k, v);
        });
        return new TrainingConfig(copy);
    }

    /** A comma-separated list setting. */
    public java.util.List<String> list(String key) {
        return java.util.Arrays.stream(text(key).split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    public int integer(String key) {
        return Integer.parseInt(p.getProperty(key).trim());
    }

    public double number(String key) {
        return Double.parseDouble(p.getProperty(key).trim());
    }

    public String text(String key) {
        return p.getProperty(key).trim();
    }

    public Properties all() {
        Properties copy = new Properties();
        copy.putAll(p);
        return copy;
    }
}
