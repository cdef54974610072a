package dev.vigil.realtimescoring.job;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishModelTest {

    /** The options docs/commands.md gives: all but --line were refused while the tool borrowed the job's option list. */
    @Test
    void theDocumentedOptionsAreAccepted() {
        PublishModel o = PublishModel.parse("model.json", "--line", "sparkov", "--review", "0.6", "--decline", "0.95",
                "--version", "v7", "--store", "s3://vigil/store", "--bootstrap", "10.0.0.1:9092");
        assertEquals(Path.of("model.json"), o.booster);
        assertEquals("sparkov", o.line);
        assertEquals(0.6, o.review);
        assertEquals(0.95, o.decline);
        assertEquals("v7", o.version);
        assertEquals("s3://vigil/store", o.store);
        assertEquals("10.0.0.1:9092", o.bootstrap);
    }

    @Test
    void withoutAModelOrWithAnUnknownOptionItIsRefused() {
        assertThrows(CommandLine.ParameterException.class, PublishModel::parse);
        assertThrows(CommandLine.ParameterException.class, () -> PublishModel.parse("model.json", "--parallelism", "2"));
        assertThrows(CommandLine.ParameterException.class, () -> PublishModel.parse("model.json", "--review", "0.95",
                "--decline", "0.9"), "review above decline");
        assertThrows(CommandLine.ParameterException.class, () -> PublishModel.parse("model.json", "--decline", "1.5"));
        assertTrue(PublishModel.parse("model.json").version.startsWith("manual-"));
    }
}
