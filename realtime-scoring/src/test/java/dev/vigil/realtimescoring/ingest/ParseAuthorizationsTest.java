package dev.vigil.realtimescoring.ingest;

import dev.vigil.core.TestData;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.realtimescoring.decide.CardMessage;
import dev.vigil.realtimescoring.io.TopicRecord;
import dev.vigil.realtimescoring.io.RawRecord;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ingress edge: a card number where a token or id belongs stops here, and reaches the DLQ masked. */
class ParseAuthorizationsTest {
    private static final String PAN = "4111111111111111";

    @Test
    void aPanInTheTokenOrAnIdGoesToTheDeadLettersMaskedWithTheFieldNamed() throws Exception {
        String valid = new String(AuthorizationCodec.INSTANCE.encode(TestData.auth("a-1", 0, 100)), StandardCharsets.UTF_8);
        try (OneInputStreamOperatorTestHarness<RawRecord, CardMessage> harness =
                     ProcessFunctionTestHarnesses.forProcessFunction(new ParseAuthorizations())) {
            harness.processElement(new StreamRecord<>(raw(valid, 0)));
            List<String> fields = List.of("card_token", "authorization_id", "merchant_id");
            for (int i = 0; i < fields.size(); i++) {
                String bad = valid.replaceFirst("\"" + fields.get(i) + "\":\"[^\"]*\"", "\"" + fields.get(i) + "\":\"" + PAN + "\"");
                harness.processElement(new StreamRecord<>(raw(bad, i + 1)));
            }

            assertEquals(1, harness.extractOutputValues().size(), "only the valid record is decided");
            List<TopicRecord> dead = harness.getSideOutput(ParseAuthorizations.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
            assertEquals(fields.size(), dead.size());
            for (int i = 0; i < fields.size(); i++) {
                TopicRecord k = dead.get(i);
                String kept = new String(k.value, StandardCharsets.UTF_8);
                assertFalse(kept.contains(PAN), "the dead letter keeps the record masked");
                assertTrue(kept.contains("\"" + fields.get(i) + "\":\"****************\""), kept);
                assertEquals("authorization: '" + fields.get(i) + "' is a card number; a card number never belongs in it", k.reason);
                assertEquals("authorizations/0/" + (i + 1), k.key);
            }
        }
    }

    private static RawRecord raw(String json, long offset) {
        return new RawRecord(json.getBytes(StandardCharsets.UTF_8), "authorizations", 0, offset, 0);
    }
}
