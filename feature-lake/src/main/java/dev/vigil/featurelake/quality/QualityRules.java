package dev.vigil.featurelake.quality;

/**
 * Thresholds of the nightly's data-quality checks.
 *
 * @param minDayRatio      the day's authorizations may fall to this share of the previous day's
 * @param maxDayRatio      and rise to this multiple of it
 * @param maxNullDrift     a nullable column's null rate may move this much (absolute) from the previous day
 * @param freshnessHours   the newest authorization of the day must be at most this long before its end
 * @param maxQuarantined   share of the run's landed records allowed into quarantine
 */
public record QualityRules(double minDayRatio, double maxDayRatio, double maxNullDrift, double freshnessHours,
                           double maxQuarantined) {

    public static final QualityRules DEFAULTS = new QualityRules(0.5, 3.0, 0.10, 6, 0.01);
}
