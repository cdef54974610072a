package dev.vigil.realtimescoring.decide;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.model.ModelRejected;
import dev.vigil.core.model.ModelSigning;
import dev.vigil.core.event.ModelUpdate;
import dev.vigil.realtimescoring.model.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model slot: what the scoring operator serves, refuses, and reloads after a restore. */
class ModelSlotTest {
    private static ModelSlot slot() {
        return new ModelSlot(TestModels.LINE, ModelSigning.developmentTrust(), new FlinkBlobStore());
    }

    @Test
    void aRefusedModelLeavesTheOldOneServing(@TempDir Path store) throws Exception {
        ModelSlot slot = slot();
        slot.offer(TestModels.publish(store, "v1"));
        ModelUpdate v2 = TestModels.publish(store, "v2");
        Files.write(FileLocations.path(v2.uri() + "/model.json"), "{\"truncated".getBytes());
        ModelRejected refused = assertThrows(ModelRejected.class, () -> slot.offer(v2));
        assertTrue(refused.getMessage().contains("checksum"), refused.getMessage());
        assertEquals("v1", slot.serving().version());
        assertFalse(slot.serves(new ModelUpdate("another-line", "v9", v2.uri(), v2.checksum(), v2.featureSetHash(), 0)));
    }

    @Test
    void afterARestoreTheChampionLoadsOnceAndAnUnloadableOneIsReportedOnceNotRetried(@TempDir Path store) throws Exception {
        ModelSlot slot = slot();
        ModelUpdate v1 = TestModels.publish(store, "v1");
        assertNull(slot.catchUp(v1));
        assertEquals("v1", slot.serving().version());
        assertNull(slot.catchUp(v1), "already serving: nothing to do");

        ModelUpdate v2 = TestModels.publish(store, "v2");
        Files.delete(FileLocations.path(v2.uri() + "/model.json"));
        String reason = slot.catchUp(v2);
        assertTrue(reason != null && reason.startsWith("the restored champion could not be loaded"), reason);
        assertNull(slot.catchUp(v2), "reported once; every later authorization does not read the store again");
        assertEquals("v1", slot.serving().version());
        assertNull(slot.catchUp(null));
    }
}
