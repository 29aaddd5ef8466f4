package io.argus.task;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * task-api is what the coordinator shares with the agents: it must stay pure Java, or the
 * coordinator ships the natives again (136 MB of OpenCV, FFmpeg, Tesseract and Leptonica before this
 * module existed), and it must not reach up into the modules that use it.
 */
class TaskApiArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.argus.task");

    static final ArchRule NO_NATIVES_NO_NETTY = noClasses().that().resideInAPackage("io.argus.task..")
            .should().dependOnClassesThat().resideInAnyPackage("org.opencv..", "org.bytedeco..", "ai.onnxruntime..",
                    "io.netty..")
            .because("the coordinator validates task parameters with this code and runs no native library");

    static final ArchRule NO_UPWARD_DEPENDENCY = noClasses().that().resideInAPackage("io.argus.task..")
            .should().dependOnClassesThat().resideInAnyPackage("io.argus.agent..", "io.argus.media..",
                    "io.argus.coordinator..", "io.argus.app..", "io.argus.client..", "io.argus.console..")
            .because("task-api sits below the agent, the coordinator and the console");

    @Test
    void mainClassesArePureJava() {
        assertThat(MAIN.size()).as("classes imported").isGreaterThan(10);
        NO_NATIVES_NO_NETTY.check(MAIN);
    }

    @Test
    void mainClassesDoNotDependOnTheModulesAbove() {
        NO_UPWARD_DEPENDENCY.check(MAIN);
    }

    /** The rule can fail: a class holding a Netty type is reported. */
    @Test
    void ruleReportsANettyDependency() {
        JavaClasses offender = new ClassFileImporter().importClasses(HoldsNetty.class);
        assertThat(NO_NATIVES_NO_NETTY.evaluate(offender).hasViolation()).isTrue();
    }

    /** Test-only offender for {@link #ruleReportsANettyDependency}; its package is io.argus.task. */
    static final class HoldsNetty {
        ByteBuf buffer;
    }
}
