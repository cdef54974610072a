package dev.vigil.realtimescoring.decide;

import dev.vigil.core.feature.ProfileRule;
import dev.vigil.core.model.DecisionRules;

import dev.vigil.core.model.ModelSigning;

import java.io.Serializable;
import java.time.Duration;

/**
 * Policy of the scoring operator.
 *
 * @param modelLine         the model line this job serves (one per data set)
 * @param profileLagDays    profiles must be at least this many days older than the event date
 * @param allowedLatenessMs behind the watermark by more than this, an authorization is late
 *                          (routed to {@code authorizations-late}, still decided)
 * @param watchMs           how long (event time) a detection keeps a card on watch
 * @param velocityBurst     authorizations within ~10 minutes that raise VELOCITY_BURST
 * @param declineRetries    host declines within ~1 hour that raise DECLINE_RETRY
 * @param logFeatures       also emit each authorization's feature vector and score (feature
 *                          logging: parity tests, training/serving skew monitoring); off by default
 * @param alertsFromMs      authorizations with an earlier event time are decided and folded (their
 *                          watches included) but raise no analyst alert: a job warmed by replaying
 *                          history that was alerted on when it happened would otherwise queue it
 *                          again; {@link Long#MIN_VALUE} (the default) alerts on everything
 * @param modelTrust        the keys whose signature a model needs before it may serve
 * @param cardKeyId         the tokenization key whose tokens key card state (null: each record's
 *                          token of record). A job started from state re-keyed to an announced key
 *                          names it, and keys each card by its token under that key before and
 *                          after the edge switches (decision 23)
 */
public record ScoringSettings(String modelLine, int profileLagDays, long allowedLatenessMs, long watchMs,
                              int velocityBurst, int declineRetries, boolean logFeatures, long alertsFromMs,
                              ModelSigning.Trust modelTrust, String cardKeyId)
        implements Serializable {

    public static ScoringSettings defaults(String modelLine, ModelSigning.Trust modelTrust) {
        DecisionRules rules = DecisionRules.DEFAULTS;
        return new ScoringSettings(modelLine, ProfileRule.DEFAULT_LAG_DAYS, Duration.ofMinutes(10).toMillis(),
                rules.watchMs(), rules.velocityBurst(), rules.declineRetries(), false, Long.MIN_VALUE, modelTrust, null);
    }

    public ScoringSettings withFeatureLogging() {
        return new ScoringSettings(modelLine, profileLagDays, allowedLatenessMs, watchMs, velocityBurst, declineRetries,
                true, alertsFromMs, modelTrust, cardKeyId);
    }

    public ScoringSettings withAlertsFrom(long eventTimeMs) {
        return new ScoringSettings(modelLine, profileLagDays, allowedLatenessMs, watchMs, velocityBurst, declineRetries,
                logFeatures, eventTimeMs, modelTrust, cardKeyId);
    }

    public ScoringSettings withCardKeyId(String keyId) {
        return new ScoringSettings(modelLine, profileLagDays, allowedLatenessMs, watchMs, velocityBurst, declineRetries,
                logFeatures, alertsFromMs, modelTrust, keyId);
    }

    /** The rules and watch the decision path applies to the model's outcome (core's, shared with every engine). */
    public DecisionRules rules() {
        return new DecisionRules(velocityBurst, declineRetries, watchMs);
    }

    /** Whether an authorization with this event time may raise an analyst alert. */
    public boolean alerts(long eventTimeMs) {
        return eventTimeMs >= alertsFromMs;
    }
}
