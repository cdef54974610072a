package dev.vigil.realtimescoring.decide;

import dev.vigil.core.model.BlobStore;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.IOException;

/**
 * Object storage through Flink's own file systems: {@code file://} always, {@code s3://} and
 * {@code s3a://} when the S3 file-system plugin is installed (as on a Flink cluster).
 */
public final class FlinkBlobStore implements BlobStore {

    @Override
    public byte[] read(String uri) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = path.getFileSystem();
        long length = fs.getFileStatus(path).getLen();
        if (length > 512L * 1024 * 1024) {
            throw new IOException(uri + " is larger than 512 MiB");
        }
        byte[] bytes = new byte[(int) length];
        try (FSDataInputStream in = fs.open(path)) {
            int read = 0;
            while (read < bytes.length) {
                int n = in.read(bytes, read, bytes.length - read);
                if (n < 0) {
                    throw new IOException(uri + " ended after " + read + " of " + length + " bytes");
                }
                read += n;
            }
        }
        return bytes;
    }

    @Override
    public boolean exists(String uri) throws IOException {
        Path path = new Path(uri);
        return path.getFileSystem().exists(path);
    }

    @Override
    public void write(String uri, byte[] bytes) throws IOException {
        Path path = new Path(uri);
        try (FSDataOutputStream out = path.getFileSystem().create(path, FileSystem.WriteMode.OVERWRITE)) {
            out.write(bytes);
        }
    }
}
