package dev.vigil.core.model;

import dev.vigil.core.config.FileLocations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code file:} locations (unencoded, see {@link FileLocations}) and plain paths. Writes go to a
 * temporary file and are renamed into place.
 */
public final class LocalBlobStore implements BlobStore {

    @Override
    public byte[] read(String uri) throws IOException {
        return Files.readAllBytes(FileLocations.path(uri));
    }

    @Override
    public boolean exists(String uri) {
        return Files.exists(FileLocations.path(uri));
    }

    @Override
    public void write(String uri, byte[] bytes) throws IOException {
        Path target = FileLocations.path(uri);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
