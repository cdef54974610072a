package dev.vigil.alertapi.ingest;

import dev.vigil.alertapi.alert.AlertSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.util.EnumMap;
import java.util.Map;

/**
 * New alerts as they are committed, for the live queue. Best effort by design: a slow browser
 * misses pushes rather than slowing ingest, and the page reloads the list when it reconnects.
 * Every push is counted by its outcome ({@code FAIL_ZERO_SUBSCRIBER}: no stream was open), so a
 * live queue that goes quiet shows why.
 */
@Singleton
public final class LiveAlerts {
    private final Sinks.Many<AlertSummary> sink = Sinks.many().multicast().directBestEffort();
    private final Map<Sinks.EmitResult, Counter> pushes = new EnumMap<>(Sinks.EmitResult.class);

    public LiveAlerts(MeterRegistry meters) {
        for (Sinks.EmitResult r : Sinks.EmitResult.values()) {
            pushes.put(r, Counter.builder("vigil.alerts.live.pushes").tag("result", r.name())
                    .description("alerts offered to the open live streams, by outcome").register(meters));
        }
        Gauge.builder("vigil.alerts.live.streams", sink, Sinks.Many::currentSubscriberCount)
                .description("live alert streams open").register(meters);
    }

    /** Called by the ingest thread only (a sink takes one emitter at a time). */
    void publish(AlertSummary summary) {
        pushes.get(sink.tryEmitNext(summary)).increment();
    }

    public Flux<AlertSummary> stream() {
        return sink.asFlux();
    }
}
