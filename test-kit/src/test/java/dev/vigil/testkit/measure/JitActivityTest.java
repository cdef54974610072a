package dev.vigil.testkit.measure;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JitActivityTest {
    @Test
    void readsTheCompiledCountAndTimeFromJstatsColumns() {
        String out = """
                Compiled  Failed  Invalid   Time   FailedType FailedMethod
                    8151      2       0    12.84          1 org/apache/kafka/Foo bar
                """;
        assertEquals(Optional.of(new JitActivity.Reading(8151, 12.84)), JitActivity.parse(out));
    }

    @Test
    void refusesWhatIsNotJstatOutput() {
        assertEquals(Optional.empty(), JitActivity.parse("12345 not found\n"));
        assertEquals(Optional.empty(), JitActivity.parse("Compiled Failed\nmany none\n"));
    }

    @Test
    void readsThisJvmThroughTheJdksJstat() {
        Optional<JitActivity.Reading> r = JitActivity.read(ProcessHandle.current().pid());
        assertTrue(r.isPresent(), "jstat reads a JVM of the same user");
        assertTrue(r.get().compiled() > 0, "a running test JVM has compiled methods: " + r.get());
    }
}
