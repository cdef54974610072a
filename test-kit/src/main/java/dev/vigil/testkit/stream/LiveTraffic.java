package dev.vigil.testkit.stream;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.testkit.world.Generated;
import dev.vigil.testkit.world.Scenario;
import dev.vigil.testkit.world.Simulator;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** The world's authorizations, day after day without end, in arrival order. */
public final class LiveTraffic implements Iterator<Generated> {
    private final Simulator simulator;
    private List<Generated> day = List.of();
    private int next;

    public LiveTraffic(Simulator simulator) {
        this.simulator = simulator;
    }

    /** Authorizations as messages for Kafka: keyed by card token, the contract's JSON as value. */
    public static Iterator<OpenLoopSender.Message> asMessages(Iterator<Generated> traffic) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return traffic.hasNext();
            }

            @Override
            public OpenLoopSender.Message next() {
                Authorization a = traffic.next().authorization();
                return new OpenLoopSender.Message(a.authorizationId(), a.cardToken(), AuthorizationCodec.INSTANCE.encode(a));
            }
        };
    }

    /** {@code traffic} unchanged, noting each fraudulent authorization's id and scenario in {@code fraud}. */
    public static Iterator<Generated> notingFraud(Iterator<Generated> traffic, Map<String, Scenario> fraud) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return traffic.hasNext();
            }

            @Override
            public Generated next() {
                Generated g = traffic.next();
                if (g.fraud()) {
                    fraud.put(g.authorization().authorizationId(), g.scenario());
                }
                return g;
            }
        };
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Generated next() {
        int guard = 0;
        while (next >= day.size()) {
            day = simulator.next().authorizations();
            next = 0;
            if (++guard > 1000) {
                throw new NoSuchElementException("the world produced no traffic in 1000 days");
            }
        }
        return day.get(next++);
    }
}
