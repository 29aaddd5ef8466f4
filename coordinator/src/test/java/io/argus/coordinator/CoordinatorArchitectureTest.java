package io.argus.coordinator;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.argus.agent.NodeAgent;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinator runs no native library: its main code shares task parameters and image headers
 * with the agents through task-api, never through the agent itself. (The agent is on the test
 * classpath only, for tests that start real agents; the enforcer's {@code bannedDependencies} in
 * this module's pom keeps the natives off the runtime classpath.)
 */
class CoordinatorArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.argus.coordinator");

    static final ArchRule NO_AGENT_NO_NATIVES = noClasses().that().resideInAPackage("io.argus.coordinator..")
            .should().dependOnClassesThat().resideInAnyPackage("io.argus.agent..", "io.argus.media..",
                    "org.opencv..", "org.bytedeco..", "ai.onnxruntime..")
            .because("the coordinator would ship 136 MB of OpenCV, FFmpeg and Tesseract natives it never runs");

    @Test
    void mainClassesUseNeitherTheAgentNorNatives() {
        assertThat(MAIN.size()).as("classes imported").isGreaterThan(20);
        NO_AGENT_NO_NATIVES.check(MAIN);
    }

    /** The rule can fail: a class holding an agent, as tests that start real agents do, is reported. */
    @Test
    void ruleReportsAClassThatUsesTheAgent() {
        JavaClasses withAgent = new ClassFileImporter().importClasses(HoldsAnAgent.class);
        assertThat(NO_AGENT_NO_NATIVES.evaluate(withAgent).hasViolation()).isTrue();
    }

    /** Test-only offender for {@link #ruleReportsAClassThatUsesTheAgent}; its package is io.argus.coordinator. */
    static final class HoldsAnAgent {
        NodeAgent agent;
    }
}
