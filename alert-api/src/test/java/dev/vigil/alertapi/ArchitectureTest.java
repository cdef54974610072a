package dev.vigil.alertapi;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** alert-api depends on core, Micronaut and PostgreSQL only (the engines are reached through Kafka), and builds no SQL from strings. */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.vigil.alertapi");

    @Test
    void noStreamingEngineAndNoOtherVigilModule() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "org.apache.spark..",
                "io.delta..", "ml.dmlc..", "dev.vigil.realtimescoring..", "dev.vigil.featurelake..", "dev.vigil.batchtraining..",
                "dev.vigil.loadtest..", "dev.vigil.testkit..", "dev.vigil.tools..").check(classes);
    }

    @Test
    void noPlainStatementsOnlyPreparedOnes() {
        noClasses().should().callMethod(java.sql.Connection.class, "createStatement").check(classes);
        noClasses().should().callMethod(java.sql.Statement.class, "execute", String.class).check(classes);
        noClasses().should().callMethod(java.sql.Statement.class, "executeQuery", String.class).check(classes);
        noClasses().should().callMethod(java.sql.Statement.class, "executeUpdate", String.class).check(classes);
    }
}
