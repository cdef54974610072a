package dev.vigil.batchtraining.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which nights are due. Night D may run once day D is over and the clock has passed the run time on
 * D + 1 (UTC, as the lake's dates are): the label and late-event streams of D have had that long to
 * arrive. Nights run in date order and none is skipped, because each night's profiles build on the
 * previous one's; missed nights are caught up oldest first.
 *
 * @param runAt time of day (UTC) after which yesterday's night is due
 * @param firstNight the first night ever to run when the schedule has no record yet
 */
public record NightlySchedule(LocalTime runAt, LocalDate firstNight) {

    /** Nights due at {@code now}, oldest first, after {@code lastDone} (empty when none ran yet). */
    public List<LocalDate> due(Instant now, Optional<LocalDate> lastDone) {
        LocalDate latest = latestDue(now);
        LocalDate next = lastDone.map(d -> d.plusDays(1)).orElse(firstNight);
        List<LocalDate> out = new ArrayList<>();
        for (LocalDate d = next; !d.isAfter(latest); d = d.plusDays(1)) {
            out.add(d);
        }
        return out;
    }

    /** The newest night that is due at {@code now}. */
    public LocalDate latestDue(Instant now) {
        ZonedDateTime t = now.atZone(ZoneOffset.UTC);
        LocalDate yesterday = t.toLocalDate().minusDays(1);
        return t.toLocalTime().isBefore(runAt) ? yesterday.minusDays(1) : yesterday;
    }

    /** When the next night after {@code now} becomes due. */
    public Instant nextRun(Instant now) {
        ZonedDateTime t = now.atZone(ZoneOffset.UTC);
        ZonedDateTime today = t.toLocalDate().atTime(runAt).atZone(ZoneOffset.UTC);
        return (t.isBefore(today) ? today : today.plusDays(1)).toInstant();
    }
}
