package dev.vigil.alertapi.alert;

import dev.vigil.alertapi.ingest.LiveAlerts;
import dev.vigil.alertapi.security.Role;
import dev.vigil.alertapi.security.Sessions;
import io.micronaut.context.annotation.Value;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;

/** The alert queue: filtered, newest first, paged by cursor; one alert in full; new alerts live. */
@Controller("/api/alerts")
@Secured(Role.ANALYST_ROLE)
@Tag(name = "alerts")
public class AlertController {
    private final AlertQueries queries;
    private final LiveAlerts live;
    private final Sessions sessions;
    private final Duration heartbeat;

    public AlertController(AlertQueries queries, LiveAlerts live, Sessions sessions,
                           @Value("${vigil.api.live.heartbeat:15s}") Duration heartbeat) {
        this.sessions = sessions;
        this.heartbeat = heartbeat;
        this.queries = queries;
        this.live = live;
    }

    @Get
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(summary = "List alerts, newest first",
            description = "Filters combine with AND. Pass the returned `next` as `cursor` for the following page.")
    public Page<AlertSummary> list(@Nullable @QueryValue @Size(max = 16) String status,
                                   @Nullable @QueryValue Float minScore,
                                   @Nullable @QueryValue Float maxScore,
                                   @Nullable @QueryValue @Size(max = 128) String card,
                                   @Nullable @QueryValue @Size(max = 40) String pattern,
                                   @Nullable @QueryValue @Size(max = 40) String from,
                                   @Nullable @QueryValue @Size(max = 40) String to,
                                   @Nullable @QueryValue @Size(max = 256) String cursor,
                                   @QueryValue(defaultValue = "50") @Min(1) @Max(200) int limit) {
        AlertFilter filter = AlertFilter.of(status, minScore, maxScore, card, pattern, from, to);
        return queries.list(filter, Cursor.decode(cursor), limit);
    }

    @Get("/{alertId}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(summary = "One alert in full: authorization, decision and reasons, pattern, model version, "
            + "the card's recent authorizations and alerts")
    public AlertDetail detail(@PathVariable @Pattern(regexp = "[A-Za-z0-9_.:-]{1,128}") String alertId) {
        return queries.detail(alertId);
    }

    /**
     * New alerts as server-sent events. Browsers read it with fetch (an EventSource cannot send the
     * bearer token); a comment every heartbeat (15 s) keeps proxies from closing an idle stream. The
     * request was authorized once, when it opened, so each heartbeat checks again that the session
     * stands (token not expired, user not disabled, demoted or logged out) and ends the stream if not.
     */
    @Get(value = "/live", produces = MediaType.TEXT_EVENT_STREAM)
    @Operation(summary = "New alerts as they arrive (server-sent events, event name 'alert'); ends with the session")
    public Publisher<Event<?>> live(Authentication auth) {
        Flux<Event<?>> alerts = live.stream().map(a -> Event.of(a).name("alert").id(a.alertId()));
        Flux<Long> beats = Flux.interval(heartbeat).onBackpressureDrop().publishOn(Schedulers.boundedElastic());
        Flux<Event<?>> heartbeat = beats.map(i -> Event.of("").comment("keep-alive"));
        Flux<Long> ended = beats.filter(i -> !sessions.stands(auth)).take(1);
        return Flux.merge(Flux.just(Event.of("").name("ready")), alerts, heartbeat)
                .takeUntilOther(ended)
                .concatWith(Flux.just(Event.of("").name("session-ended")));
    }
}
