package dev.vigil.core.model;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** {@code file://} URIs (and plain paths). Writes go to a temporary file and are renamed into place. */
public final class LocalBlobStore implements BlobStore {

    public static Path path(String uri) {
        return uri.startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
    }

    @Override
    public byte[] read(String uri) throws IOException {
        return Files.readAllBytes(path(uri));
    }

    @Override
    public boolean exists(String uri) {
        return Files.exists(path(uri));
    }

    @Override
    public void write(String uri, byte[] bytes) throws IOException {
        Path target = path(uri);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
