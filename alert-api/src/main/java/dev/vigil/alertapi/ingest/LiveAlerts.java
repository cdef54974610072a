package dev.vigil.alertapi.ingest;

import dev.vigil.alertapi.alert.AlertSummary;
import jakarta.inject.Singleton;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * New alerts as they are committed, for the live queue. Best effort by design: a slow browser
 * misses pushes rather than slowing ingest, and the page reloads the list when it reconnects.
 */
@Singleton
public final class LiveAlerts {
    private final Sinks.Many<AlertSummary> sink = Sinks.many().multicast().directBestEffort();

    /** Called by the ingest thread only (a sink takes one emitter at a time). */
    void publish(AlertSummary summary) {
        sink.tryEmitNext(summary);
    }

    public Flux<AlertSummary> stream() {
        return sink.asFlux();
    }
}
