package io.argus.app.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import javafx.scene.control.Label;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console module's own rules (the whole system's layering is {@code ModuleLayeringTest} in the cli module):
 * JavaFX only in {@code io.argus.app.console}, and the streaming client below it ({@code io.argus.client}, its only
 * Argus dependency) never using the console.
 */
class DesktopLayeringTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.argus.app", "io.argus.client");

    static final ArchRule JAVAFX_ONLY_IN_CONSOLE = noClasses().that().resideOutsideOfPackage("io.argus.app.console..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..")
            .because("a headless command (analyze, bench, soak) or the client library must not need a display");

    static final ArchRule CLIENT_BELOW_APP = noClasses().that().resideInAPackage("io.argus.client..")
            .should().dependOnClassesThat().resideInAnyPackage("io.argus.app..")
            .because("the streaming client is a library the console and the CLI use, not the other way round");

    @Test
    void javaFxStaysInTheConsole() {
        assertThat(MAIN.size()).as("classes imported").isGreaterThan(50);
        JAVAFX_ONLY_IN_CONSOLE.check(MAIN);
    }

    @Test
    void theClientLibraryDoesNotUseTheApplication() {
        CLIENT_BELOW_APP.check(MAIN);
    }

    /** The rule can fail: a class outside the console holding a JavaFX control is reported. */
    @Test
    void ruleReportsJavaFxOutsideTheConsole() {
        assertThat(JAVAFX_ONLY_IN_CONSOLE.evaluate(new ClassFileImporter().importClasses(HoldsALabel.class))
                .hasViolation()).isTrue();
    }

    /** Test-only offender; its package, io.argus.app.arch, is outside the console. */
    static final class HoldsALabel {
        Label label;
    }
}
