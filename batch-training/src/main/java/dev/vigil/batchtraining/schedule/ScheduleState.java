package dev.vigil.batchtraining.schedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The last night that succeeded, in one small file replaced atomically, so a crash mid-write never
 * leaves the schedule without a record (it would then run from its first night again).
 */
public final class ScheduleState {
    private final Path file;

    public ScheduleState(Path file) {
        this.file = file;
    }

    public Optional<LocalDate> lastDone() {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            String text = Files.readString(file).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(LocalDate.parse(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schedule's state " + file, e);
        }
    }

    public void markDone(LocalDate night) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, night + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record night " + night + " in " + file, e);
        }
    }
}
