package dev.vigil.training.set;

import java.time.LocalDate;

/**
 * The time-ordered split for a training run at logical date D, oldest first:
 * <pre>
 *   [ train ][ delay ][ holdout ][ delay ] D
 * </pre>
 * Train labels are those known the day before the holdout starts (what a model deployed then
 * could have learnt from); holdout labels are those known at D. Each delay gap gives chargebacks
 * time to arrive, so recent authorizations are not taken for legitimate just because their label
 * is still on its way.
 */
public record Windows(LocalDate trainFrom, LocalDate trainTo, LocalDate trainLabelsKnownAt,
                      LocalDate holdoutFrom, LocalDate holdoutTo, LocalDate holdoutLabelsKnownAt, int delayDays) {

    public static Windows ending(LocalDate d, int trainDays, int delayDays, int holdoutDays) {
        if (trainDays < 1 || holdoutDays < 1 || delayDays < 0) {
            throw new IllegalArgumentException("train and holdout need at least a day, delay cannot be negative");
        }
        LocalDate holdoutTo = d.minusDays(delayDays);
        LocalDate holdoutFrom = holdoutTo.minusDays(holdoutDays - 1L);
        LocalDate trainTo = holdoutFrom.minusDays(delayDays + 1L);
        LocalDate trainFrom = trainTo.minusDays(trainDays - 1L);
        return new Windows(trainFrom, trainTo, holdoutFrom.minusDays(1), holdoutFrom, holdoutTo, d, delayDays);
    }

    @Override
    public String toString() {
        return "train " + trainFrom + ".." + trainTo + " (labels known at " + trainLabelsKnownAt + "), holdout "
                + holdoutFrom + ".." + holdoutTo + " (labels known at " + holdoutLabelsKnownAt + "), delay "
                + delayDays + " days";
    }
}
