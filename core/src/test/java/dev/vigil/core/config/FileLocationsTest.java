package dev.vigil.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileLocationsTest {
    @Test
    void aFolderWithASpaceOrAPercentSignIsWrittenAsItIs(@TempDir Path tmp) throws Exception {
        Path clone = Files.createDirectories(tmp.resolve("my clone 100%"));
        String location = FileLocations.of(clone.resolve("lake"));
        assertEquals("file:" + clone.toAbsolutePath() + "/lake", location);
        assertEquals(clone.resolve("lake"), FileLocations.path(location));
    }

    @Test
    void everyLocalSpellingReadsAsThePath() {
        Path expected = Path.of("/tmp/my clone/store");
        assertEquals(expected, FileLocations.path("file:/tmp/my clone/store"));
        assertEquals(expected, FileLocations.path("file:///tmp/my clone/store"));
        assertEquals(expected, FileLocations.path("file://localhost/tmp/my clone/store"));
        assertEquals(expected, FileLocations.path("/tmp/my clone/store"));
        assertTrue(FileLocations.isFile("file:/x"));
    }

    @Test
    void aFileLocationOnAnotherHostIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FileLocations.path("file://fileserver/share/lake"));
        assertEquals("a file: location on another host is not supported: file://fileserver/share/lake", e.getMessage());
    }
}
