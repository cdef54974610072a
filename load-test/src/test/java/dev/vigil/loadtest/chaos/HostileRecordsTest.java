package dev.vigil.loadtest.chaos;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import dev.vigil.testkit.stream.LiveTraffic;
import dev.vigil.testkit.world.Simulator;
import dev.vigil.testkit.world.World;
import dev.vigil.testkit.world.WorldConfig;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.function.Supplier;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostileRecordsTest {

    private static Supplier<Authorization> traffic() {
        LiveTraffic live = new LiveTraffic(new Simulator(new World(WorldConfig.of(5, 300, LocalDate.of(2026, 3, 1)),
                new PanTokenizer(TokenKey.development()))));
        return () -> live.next().authorization();
    }

    @Test
    void everyHostileRecordIsRejectedByTheCodecForTheReasonOfItsKind() {
        HostileRecords hostile = new HostileRecords(11, traffic());
        Map<HostileRecords.Kind, Integer> made = new EnumMap<>(HostileRecords.Kind.class);
        for (int i = 0; i < 5_000; i++) {
            HostileRecords.Kind kind = hostile.nextKind();
            byte[] record = hostile.next();
            Decoded<Authorization> d = AuthorizationCodec.INSTANCE.decode(record);
            assertFalse(d.isOk(), kind + " record " + i + " was accepted");
            String reason = d.reason();
            switch (kind) {
                case OVERSIZED -> {
                    assertTrue(record.length > AuthorizationCodec.INSTANCE.maxBytes());
                    assertTrue(reason.contains("bytes"), reason);
                }
                case WRONG_TYPED -> assertTrue(reason.matches(".*'(amount_minor|event_time_ms|card_token|card_seq)'.*"), reason);
                default -> assertFalse(reason.isBlank());
            }
            made.merge(kind, 1, Integer::sum);
        }
        for (HostileRecords.Kind k : HostileRecords.Kind.values()) {
            assertEquals(1_000, made.get(k), "the kinds come in turn");
        }
    }

    @Test
    void theTemplatesThemselvesAreValid() {
        Authorization a = traffic().get();
        assertTrue(AuthorizationCodec.INSTANCE.decode(AuthorizationCodec.INSTANCE.encode(a)).isOk());
    }
}
