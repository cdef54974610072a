package dev.vigil.core.config;

import java.nio.file.Path;

/**
 * Local locations ({@code file:} lake roots, model stores, checkpoints) spelled the way Hadoop, Spark,
 * Delta and Flink read them: {@code file:} and the absolute path as it is, not percent-encoded.
 *
 * <p>Why not {@link java.net.URI}: {@code Path.toUri()} writes a space as {@code %20}, and Hadoop's and
 * Flink's {@code Path(String)} take that {@code %} literally, so a clone in {@code /tmp/my clone} would
 * put its lake in a folder named {@code my%20clone}; and {@code URI.create} refuses the unencoded
 * spelling those engines want. Every local location is therefore made by {@link #of} and read by
 * {@link #path}, never by {@code URI}.
 */
public final class FileLocations {
    private FileLocations() {
    }

    /** {@code file:} and the absolute, normalized path, unencoded ({@code file:/tmp/my clone/lake}). */
    public static String of(Path path) {
        return "file:" + path.toAbsolutePath().normalize();
    }

    /**
     * The local path of {@code file:/x}, {@code file:///x} or {@code file://localhost/x} (unencoded, as
     * {@link #of} writes them), or of a plain path. Other authorities are refused: that is a remote share.
     */
    public static Path path(String location) {
        if (!location.startsWith("file:")) {
            return Path.of(location);
        }
        String rest = location.substring("file:".length());
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            String authority = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
            if (!authority.isEmpty() && !authority.equals("localhost")) {
                throw new IllegalArgumentException("a file: location on another host is not supported: " + location);
            }
            rest = slash < 0 ? "/" : rest.substring(slash);
        }
        return Path.of(rest);
    }

    /** True for {@code file:} locations. */
    public static boolean isFile(String location) {
        return location.startsWith("file:");
    }
}
