package dev.vigil.alertapi.ingest;

import dev.vigil.alertapi.alert.AlertSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.util.EnumMap;
import java.util.Map;

/**
 * New alerts as they are committed, for the live queue. Ingest never waits for a browser: each open
 * stream has its own bounded buffer, big enough for several polled batches (the ingest publishes a
 * batch at once, faster than a socket drains it). A stream that falls further behind is ended,
 * counted as {@code vigil.alerts.live.overflows}: the page reconnects and reloads the list, so it
 * never shows a queue with a silent gap. Every push is counted by its outcome
 * ({@code FAIL_ZERO_SUBSCRIBER}: no stream was open), so a live queue that goes quiet shows why.
 */
@Singleton
public final class LiveAlerts {
    private final Sinks.Many<AlertSummary> sink = Sinks.many().multicast().directBestEffort();
    /** Per open stream: five polled batches at the ingest's default of 1,000 records. */
    static final int STREAM_BUFFER = 5_000;

    private final Map<Sinks.EmitResult, Counter> pushes = new EnumMap<>(Sinks.EmitResult.class);
    private final Counter overflows;

    public LiveAlerts(MeterRegistry meters) {
        for (Sinks.EmitResult r : Sinks.EmitResult.values()) {
            pushes.put(r, Counter.builder("vigil.alerts.live.pushes").tag("result", r.name())
                    .description("alerts offered to the open live streams, by outcome").register(meters));
        }
        overflows = Counter.builder("vigil.alerts.live.overflows")
                .description("live streams ended because they fell a full buffer behind").register(meters);
        Gauge.builder("vigil.alerts.live.streams", sink, Sinks.Many::currentSubscriberCount)
                .description("live alert streams open").register(meters);
    }

    /** Called by the ingest thread only (a sink takes one emitter at a time). */
    void publish(AlertSummary summary) {
        pushes.get(sink.tryEmitNext(summary)).increment();
    }

    /**
     * One stream's alerts. The buffer asks the sink for everything, so the sink never skips this
     * stream (a direct best-effort sink drops an element for a subscriber with no demand left); a
     * full buffer ends the stream with an error rather than skip alerts.
     */
    public Flux<AlertSummary> stream() {
        return sink.asFlux().onBackpressureBuffer(STREAM_BUFFER, lost -> overflows.increment(),
                BufferOverflowStrategy.ERROR);
    }
}
