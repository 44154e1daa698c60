package dev.tributary.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.tributary.spi.Destination;
import dev.tributary.spi.Source;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The dependency rules of ARCHITECTURE.md, checked on the compiled main classes of every module. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tributary");

    @Test
    void spiDependsOnNothingOfOursOrOfAnyoneButJacksonSnakeYamlAndTheJdk() {
        classes().that().resideInAPackage("dev.tributary.spi..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.tributary.spi..", "java..", "com.fasterxml.jackson..", "org.yaml.snakeyaml..")
                .check(CLASSES);
    }

    @Test
    void theSparkBridgeKnowsNothingOfOursForItRunsInSparksOwnClassLoader() {
        // it is defined again in a loader over Spark's jars whose parent is the JDK's: only java.sql crosses
        noClasses().that().resideInAPackage("dev.tributary.spark..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tributary.spi..", "dev.tributary.transform..", "dev.tributary.engine..",
                        "dev.tributary.project..", "dev.tributary.cli..", "com.fasterxml.jackson..", "org.yaml..", "picocli..")
                .check(CLASSES);
    }

    @Test
    void theDriverLoaderKnowsOnlyTheJdkSoTheTransformLayerAndDestinationsCanShareIt() {
        classes().that().resideInAPackage("dev.tributary.drivers..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.tributary.drivers..", "java..", "javax..")
                .check(CLASSES);
    }

    @Test
    void engineNeverImportsAConnectorOrTheLayersAboveIt() {
        noClasses().that().resideInAPackage("dev.tributary.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tributary.source..", "dev.tributary.destination..",
                        "dev.tributary.project..", "dev.tributary.cli..", "dev.tributary.scheduler..", "dev.tributary.server..")
                .check(CLASSES);
    }

    @Test
    void theSchedulerRunsStepsWithoutKnowingConnectorsTheServerOrTheCli() {
        // steps are carried out through the StepExecutor the CLI hands it; the web server sits on top of the scheduler
        noClasses().that().resideInAPackage("dev.tributary.scheduler..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tributary.server..", "dev.tributary.cli..", "dev.tributary.source..",
                        "dev.tributary.destination..", "dev.tributary.http..", "dev.tributary.sandbox..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.tributary.server..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tributary.cli..", "dev.tributary.source..", "dev.tributary.destination..",
                        "dev.tributary.engine..", "dev.tributary.http..", "dev.tributary.sandbox..")
                .check(CLASSES);
    }

    @Test
    void theTransformLayerKnowsOnlyTheSpiOfOurModules() {
        noClasses().that().resideInAPackage("dev.tributary.transform..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tributary.engine..", "dev.tributary.project..", "dev.tributary.cli..",
                        "dev.tributary.source..", "dev.tributary.destination..", "dev.tributary.testkit..")
                .check(CLASSES);
    }

    @Test
    void theLakehouseReaderAndTheExportsKnowNeitherTheEngineNorTheLayersAboveThem() {
        // the reader knows the Iceberg destination's catalog API (to find the tables) and the SPI; exports know only the SPI
        noClasses().that().resideInAnyPackage("dev.tributary.lakehouse..", "dev.tributary.exports..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tributary.engine..", "dev.tributary.project..", "dev.tributary.cli..",
                        "dev.tributary.transform..", "dev.tributary.scheduler..", "dev.tributary.server..", "dev.tributary.source..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.tributary.exports..")
                .should().dependOnClassesThat().resideInAPackage("dev.tributary.destination..")
                .check(CLASSES);
    }

    @Test
    void connectorsKnowOnlyTheSpi() {
        classes().that().resideInAnyPackage("dev.tributary.source..", "dev.tributary.destination..")
                .should().onlyDependOnClassesThat().resideOutsideOfPackages("dev.tributary.engine..", "dev.tributary.project..",
                        "dev.tributary.cli..", "dev.tributary.testkit..", "dev.tributary.transform..", "dev.tributary.sandbox..",
                        "dev.tributary.scheduler..", "dev.tributary.server..")
                .check(CLASSES);
        // The HTTP kit serves every API connector and knows only the SPI; the sandboxes know nothing of ours.
        classes().that().resideInAPackage("dev.tributary.http..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.tributary.http..", "dev.tributary.spi..", "java..", "javax..",
                        "com.fasterxml.jackson..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.tributary.sandbox..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tributary.spi..", "dev.tributary.engine..", "dev.tributary.source..",
                        "dev.tributary.destination..", "dev.tributary.http..", "dev.tributary.project..", "dev.tributary.transform..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.tributary.source..")
                .should().dependOnClassesThat().resideInAPackage("dev.tributary.destination..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.tributary.destination..")
                .should().dependOnClassesThat().resideInAPackage("dev.tributary.source..")
                .check(CLASSES);
    }

    @Test
    void connectorsAreFoundThroughServiceLoaderNotByName() {
        noClasses().that().resideInAnyPackage("dev.tributary.project..", "dev.tributary.cli..", "dev.tributary.engine..",
                        "dev.tributary.scheduler..", "dev.tributary.server..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tributary.source..", "dev.tributary.destination..")
                .check(CLASSES);
        assertThat(ServiceLoader.load(Source.class).stream().map(p -> p.type().getSimpleName()))
                .contains("FilesSource", "PostgresSource", "MySqlSource", "RedshiftSource", "HubspotSource");
        assertThat(ServiceLoader.load(Destination.class).stream().map(p -> p.type().getSimpleName()))
                .contains("DuckDbDestination", "PostgresDestination", "IcebergDestination");
    }
}
