package dev.vigil.testkit.world;

import dev.vigil.core.event.Label;

import java.time.LocalDate;
import java.util.List;

/**
 * One UTC day of the world: its authorizations in arrival order, and the chargebacks they will
 * cause (each with its own, later, label time).
 */
public record DayTraffic(LocalDate date, List<Generated> authorizations, List<Label> chargebacks) {
}
