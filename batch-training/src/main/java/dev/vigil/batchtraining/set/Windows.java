package dev.vigil.batchtraining.set;

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

    /**
     * The windows when the training window is "all the labelled history the lake holds": it starts
     * at the lake's first day, or {@code maxTrainDays} before its end when the lake holds more. Older
     * behaviour drifts (cards, merchants, fraud), so a cap keeps the model on recent patterns.
     */
    public static Windows endingWithHistory(LocalDate d, LocalDate firstDay, int maxTrainDays, int delayDays,
                                            int holdoutDays) {
        Windows longest = ending(d, maxTrainDays, delayDays, holdoutDays);
        if (!firstDay.isAfter(longest.trainFrom())) {
            return longest;
        }
        long days = longest.trainTo().toEpochDay() - firstDay.toEpochDay() + 1;
        if (days < 1) {
            throw new IllegalArgumentException("the lake starts on " + firstDay + ": no day is left to train on before "
                    + longest.holdoutFrom() + " with a " + delayDays + "-day delay");
        }
        return ending(d, (int) days, delayDays, holdoutDays);
    }

    public int trainDays() {
        return (int) (trainTo.toEpochDay() - trainFrom.toEpochDay() + 1);
    }

    /**
     * The same shape inside the training window, for choosing settings: fit on its start, validate
     * on its last {@code validationDays} with labels known when this run's training labels are, so the
     * holdout is never looked at. Empty when fewer than {@code minFitDays} would be left to fit on.
     */
    public java.util.Optional<Windows> tuning(int validationDays, int minFitDays) {
        int fitDays = trainDays() - validationDays - delayDays;
        if (validationDays < 1 || fitDays < Math.max(1, minFitDays)) {
            return java.util.Optional.empty();
        }
        Windows t = ending(trainLabelsKnownAt, fitDays, delayDays, validationDays);
        return java.util.Optional.of(t);
    }

    @Override
    public String toString() {
        return "train " + trainFrom + ".." + trainTo + " (labels known at " + trainLabelsKnownAt + "), holdout "
                + holdoutFrom + ".." + holdoutTo + " (labels known at " + holdoutLabelsKnownAt + "), delay "
                + delayDays + " days";
    }
}
