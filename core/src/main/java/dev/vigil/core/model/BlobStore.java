package dev.vigil.core.model;

import java.io.IOException;

/**
 * Object storage as the model code sees it: whole objects by URI. {@code file://} is built in
 * ({@link LocalBlobStore}); engines bring their own for {@code s3a://} / {@code s3://} (Flink's
 * file systems, Hadoop's in Spark), so core carries no cloud SDK.
 */
public interface BlobStore {
    byte[] read(String uri) throws IOException;

    boolean exists(String uri) throws IOException;

    void write(String uri, byte[] bytes) throws IOException;
}
