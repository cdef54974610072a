package dev.vigil.batchtraining.release;

import dev.vigil.core.model.BlobStore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;

/**
 * Object storage through Hadoop's file systems, with the Spark session's settings: {@code file://}
 * and {@code s3a://} alike. An object is written whole (S3 makes it visible only when complete);
 * the model folder's {@code _PUBLISHED} marker, written last, is what readers wait for.
 */
public final class HadoopBlobStore implements BlobStore {
    private final Configuration conf;

    public HadoopBlobStore(Configuration conf) {
        this.conf = conf;
    }

    private FileSystem fs(String uri) throws IOException {
        return new Path(uri).getFileSystem(conf); // Path, not URI: locations are unencoded (FileLocations)
    }

    @Override
    public byte[] read(String uri) throws IOException {
        try (FSDataInputStream in = fs(uri).open(new Path(uri))) {
            return in.readAllBytes();
        }
    }

    @Override
    public boolean exists(String uri) throws IOException {
        return fs(uri).exists(new Path(uri));
    }

    @Override
    public void write(String uri, byte[] bytes) throws IOException {
        try (FSDataOutputStream out = fs(uri).create(new Path(uri), true)) {
            out.write(bytes);
        }
    }
}
