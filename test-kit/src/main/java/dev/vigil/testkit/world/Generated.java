package dev.vigil.testkit.world;

import dev.vigil.core.event.Authorization;

/**
 * One generated authorization with what the world knows and the issuer does not: whether it was
 * fraud, and in which scenario.
 *
 * @param authorization the record, with its per-card sequence number
 * @param arrivalMs     when it reaches the issuer (usually its event time; later for offline terminals)
 * @param scenario      the fraud scenario, or null for a legitimate authorization
 */
public record Generated(Authorization authorization, long arrivalMs, Scenario scenario) {
    public boolean fraud() {
        return scenario != null;
    }
}
