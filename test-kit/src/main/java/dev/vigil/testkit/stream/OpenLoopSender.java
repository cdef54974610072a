package dev.vigil.testkit.stream;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.ByteBuffer;
import java.time.Duration;
import dev.vigil.core.event.WallClock;

import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Sends records at a fixed offered rate, open loop: record i is due at {@code start + i / rate}
 * whatever happened before, so a slow broker shows up as lag (reported) rather than as a quietly
 * lower rate. Each record carries its scheduled send time (header {@value #SCHEDULED_HEADER},
 * epoch microseconds, 8 bytes) so a consumer can measure latency from when it was due.
 */
public final class OpenLoopSender {
    public static final String SCHEDULED_HEADER = "vigil-scheduled-us";
    /** A send later than this after its due time counts as late. */
    static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** A record to send: its id (for whoever measures), key and value. */
    public record Message(String id, String key, byte[] value) {
    }

    /** Told of every record just before it is sent, with its scheduled send time (epoch µs). */
    public interface Listener {
        void scheduled(Message message, long scheduledMicros);
    }

    /** What happened: counts, rates, and how far behind schedule the sender fell. */
    public record Report(long sent, long failed, double offeredRate, double achievedRate, long lateSends,
                         double maxLagMs, double seconds) {
        @Override
        public String toString() {
            return String.format("sent %,d in %.1f s: offered %,.0f/s, achieved %,.0f/s, late sends %,d (max lag %.1f ms),"
                    + " failed %,d", sent, seconds, offeredRate, achievedRate, lateSends, maxLagMs, failed);
        }
    }

    private OpenLoopSender() {
    }

    /**
     * Sends up to {@code maxRecords} records (or until {@code duration} ends, or the source does)
     * at {@code rate} per second, then flushes.
     */
    public static Report run(Producer<String, byte[]> producer, String topic, Iterator<Message> source, double rate,
                             Duration duration, long maxRecords, Consumer<String> progress) {
        return run(producer, topic, source, rate, duration, maxRecords, progress, null);
    }

    public static Report run(Producer<String, byte[]> producer, String topic, Iterator<Message> source, double rate,
                             Duration duration, long maxRecords, Consumer<String> progress, Listener listener) {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
        double periodNanos = 1e9 / rate;
        producer.partitionsFor(topic); // fetch metadata now, not on the first scheduled send
        long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long startMicros = WallClock.micros(Instant.now().plusMillis(20));
        long endNanos = startNanos + duration.toNanos();
        AtomicLong failed = new AtomicLong();
        long sent = 0, late = 0, maxLag = 0, nextReport = startNanos + 1_000_000_000L, reportSent = 0;
        while (sent < maxRecords && source.hasNext()) {
            long offset = (long) (sent * periodNanos);
            long due = startNanos + offset;
            if (due >= endNanos) {
                break;
            }
            // Park until the record is due, never spin: at 5,000/s a spinning sender would hold one of
            // the machine's two cores. A park overshoots by tens of µs; the records due by then go out
            // back to back, and that lateness counts in their latency (measured from the schedule).
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            long lag = now - due;
            if (lag > LATE_NANOS) {
                late++;
            }
            maxLag = Math.max(maxLag, lag);
            Message m = source.next();
            long scheduled = startMicros + offset / 1000;
            if (listener != null) {
                listener.scheduled(m, scheduled);
            }
            RecordHeaders headers = new RecordHeaders();
            headers.add(SCHEDULED_HEADER, ByteBuffer.allocate(8).putLong(scheduled).array());
            producer.send(new ProducerRecord<>(topic, null, m.key(), m.value(), headers), (md, e) -> {
                if (e != null) {
                    failed.incrementAndGet();
                }
            });
            sent++;
            if (now >= nextReport && progress != null) {
                progress.accept(String.format("  %,d sent (%,d/s in the last second), behind schedule by %.1f ms",
                        sent, sent - reportSent, lag / 1e6));
                reportSent = sent;
                nextReport += 1_000_000_000L;
            }
        }
        producer.flush();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new Report(sent, failed.get(), rate, sent / Math.max(seconds, 1e-9), late, maxLag / 1e6, seconds);
    }

    /** The scheduled send time a record carries, in epoch microseconds, or -1 when absent. */
    public static long scheduledMicros(org.apache.kafka.common.header.Headers headers) {
        org.apache.kafka.common.header.Header h = headers.lastHeader(SCHEDULED_HEADER);
        return h == null || h.value().length != 8 ? -1 : ByteBuffer.wrap(h.value()).getLong();
    }
}
