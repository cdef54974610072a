package dev.vigil.loadtest.chaos.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The live alert stream as an analyst's page holds it open: counts the alert events until closed,
 * and remembers whether it was ever answered and ready, so a failure says which of the two broke.
 *
 * <p>It opens, and is ready, before the traffic starts, and stays open until the run's alerts are
 * confirmed stored: an alert stored while no stream was open proves nothing about the stream (on a
 * slow machine, setting up the users took as long as the whole traffic, and the stream saw none).
 */
final class LiveStream {
    private final AtomicLong alerts = new AtomicLong();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final AtomicInteger status = new AtomicInteger();
    private final AtomicReference<Stream<String>> lines = new AtomicReference<>();
    private final CompletableFuture<Void> done;

    LiveStream(URI api, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.toString().replaceAll("/$", "") + "/api/alerts/live"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + token).build();
        done = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> {
            status.set(r.statusCode());
            lines.set(r.body());
            r.body().forEach(line -> {
                if (line.startsWith("event:")) {
                    String name = line.substring("event:".length()).trim();
                    if (name.equals("ready")) {
                        ready.countDown();
                    } else if (name.equals("alert")) {
                        alerts.incrementAndGet();
                    }
                }
            });
        });
    }

    /** Closes the stream (as a page that navigates away); returns null when it delivered alerts, else why not. */
    String close() {
        // Ended on its own before we closed it: that is part of the answer. Ended by our close: not.
        String ended = done.isDone() ? ", and it had ended: " + outcome() : "";
        Stream<String> l = lines.get();
        if (l != null) {
            l.close();
        }
        outcome();
        if (alerts.get() > 0) {
            return null;
        }
        if (status.get() == 0) {
            return "the live stream was never answered" + ended;
        }
        if (status.get() != 200 || !isReady()) {
            return "the live stream answered " + status.get() + (isReady() ? "" : " and never sent 'ready'") + ended;
        }
        return "the live stream was ready but delivered no alert while the run's alerts were stored" + ended;
    }

    private String outcome() {
        try {
            done.get(10, TimeUnit.SECONDS);
            return "closed by the server";
        } catch (java.util.concurrent.ExecutionException e) {
            return String.valueOf(e.getCause());
        } catch (Exception e) {
            return "still open 10 s after it was closed";
        }
    }

    /** Waits until the server said the stream is ready: alerts stored from then on are pushed to it. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private boolean isReady() {
        return ready.getCount() == 0;
    }

    long alerts() {
        return alerts.get();
    }
}
