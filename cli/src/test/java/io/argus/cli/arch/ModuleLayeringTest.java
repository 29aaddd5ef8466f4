package io.argus.cli.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module layering of README's "Modules" section, checked on the main classes of every module (this module's
 * test classpath holds them all), with a test per rule that it can fail.
 *
 * <pre>
 *   cli ─────────────────────────────────────────────┐  (launcher, demo, bench, soak, eval)
 *   desktop-app (console, JavaFX) ─▶ client            │
 *   node-agent ─┐        coordinator ─┐   client ─┐    │
 *               ├─▶ media ─▶ task-api ─┴─▶ cluster ─┴─▶ protocol
 * </pre>
 * Each layer may use only the layers below it; the coordinator never the agent, the media code or a native library
 * (the Maven enforcer rule keeps its classpath free of them too).
 */
class ModuleLayeringTest {
    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // other modules' test-jars (shared test fixtures) are not main code
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.argus");

    static final ArchRule LAYERS = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("protocol").definedBy("io.argus.protocol..")
            .layer("cluster").definedBy("io.argus.cluster..")
            .layer("task-api").definedBy("io.argus.task..")
            .layer("media").definedBy("io.argus.media..")
            .layer("agent").definedBy("io.argus.agent..")
            .layer("coordinator").definedBy("io.argus.coordinator..")
            .layer("client").definedBy("io.argus.client..")
            .layer("console").definedBy("io.argus.app..")
            .layer("cli").definedBy("io.argus.cli..")
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("console").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("client").mayOnlyBeAccessedByLayers("console", "cli")
            .whereLayer("coordinator").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("agent").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("media").mayOnlyBeAccessedByLayers("agent", "client", "console", "cli")
            .whereLayer("task-api").mayOnlyBeAccessedByLayers("media", "agent", "coordinator", "client", "console", "cli")
            .whereLayer("cluster").mayOnlyBeAccessedByLayers("agent", "coordinator", "client", "console", "cli")
            .because("README.md, Modules: each module uses only the ones below it");

    static final ArchRule JAVAFX_ONLY_IN_CONSOLE = noClasses().that().resideOutsideOfPackage("io.argus.app.console..")
            .and().resideOutsideOfPackage("io.argus.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..")
            .because("agents, coordinators and the client library run headless");

    /**
     * Netty is the data plane's transport: the codec and connection (protocol), the agent's server and event link,
     * the coordinator's gateway and event ingest, the client library, and the wiring classes that own event loops.
     */
    static final ArchRule NETTY_ONLY_IN_TRANSPORT = noClasses()
            .that().resideOutsideOfPackages("io.argus.protocol..", "io.argus.agent.net..", "io.argus.agent.record..",
                    "io.argus.coordinator.http..", "io.argus.coordinator.ingest..", "io.argus.client..",
                    "io.argus.testing..")
            .and().doNotHaveFullyQualifiedName("io.argus.agent.NodeAgent")
            .and().doNotHaveFullyQualifiedName("io.argus.coordinator.Coordinator")
            .and().resideOutsideOfPackage("io.argus.cli..")
            .should().dependOnClassesThat().resideInAPackage("io.netty..")
            .because("tasks, control-plane code and the console work on messages, not channels");

    @Test
    void modulesAreLayered() {
        assertThat(MAIN.size()).as("classes imported").isGreaterThan(300);
        LAYERS.check(MAIN);
    }

    @Test
    void javaFxStaysInTheConsole() {
        JAVAFX_ONLY_IN_CONSOLE.check(MAIN);
    }

    @Test
    void nettyStaysInTransportPackages() {
        NETTY_ONLY_IN_TRANSPORT.check(MAIN);
    }

    /**
     * No package cycles inside any module: {@code io.argus.<module>.<package>} slices are free of cycles. (A module
     * with a single package, as the client is today, has no slices: the rule then holds trivially.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"protocol", "cluster", "task", "media", "agent", "coordinator", "client", "app", "cli"})
    void packagesOfEachModuleAreFreeOfCycles(String module) {
        assertThat(MAIN.containPackage("io.argus." + module)).as("module classes imported").isTrue();
        slices().matching("io.argus." + module + ".(**)").should().beFreeOfCycles()
                .allowEmptyShould(true).check(MAIN);
    }

    /** The cycle rule can fail: two packages that use each other are reported. */
    @Test
    void cycleRuleReportsACycle() {
        JavaClasses pair = new ClassFileImporter().importClasses(io.argus.agent.task.offender.HoldsNetty.class,
                io.argus.agent.task.offender.cycle.UsesParent.class);
        assertThat(slices().matching("io.argus.agent.(**)").should().beFreeOfCycles().evaluate(pair).hasViolation())
                .isTrue();
    }

    /** The rules can fail: a task class holding a Netty type, an agent class used by the coordinator. */
    @Test
    void rulesReportViolations() {
        JavaClasses offenders = new ClassFileImporter().importClasses(io.argus.coordinator.offender.UsesAgent.class,
                io.argus.agent.task.offender.HoldsNetty.class, io.argus.agent.NodeAgent.class, EventLoopGroup.class);
        assertThat(LAYERS.evaluate(offenders).hasViolation()).isTrue();
        assertThat(NETTY_ONLY_IN_TRANSPORT.evaluate(offenders).hasViolation()).isTrue();
    }
}
