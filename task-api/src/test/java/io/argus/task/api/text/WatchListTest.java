package io.argus.task.api.text;

import com.google.re2j.Pattern;
import io.argus.protocol.v1.Code;
import io.argus.task.api.TaskException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class WatchListTest {
    static final String HOSTILE = "((((a+)+)+)+)+b";

    /**
     * The pattern of the incident, against the reading of the incident: 42 "A"s. With
     * java.util.regex this search never ends (about 2^42 paths; 20 "A"s already take seconds, see
     * HELPER-A-NOTES.md); RE2/J answers at once. The timeout only stops the old behaviour from
     * hanging the build: the assertions are about the answers.
     */
    @Test
    void theHostilePatternAgainst42AsAnswersNoMatchAndOneWithAB() throws Exception {
        WatchList w = WatchList.parse("[\"" + HOSTILE + "\"]");
        String sign = "A".repeat(42);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThat(w.firstMatch(sign)).isEqualTo(-1);
            assertThat(w.firstMatch(sign + "B")).isZero();
            assertThat(w.firstMatch("x".repeat(10_000) + "A".repeat(10_000))).isEqualTo(-1);
        });
    }

    @Test
    void matchesAnywhereInTheReadingCaseInsensitivelyAndReportsTheFirstPatternThatMatches() throws Exception {
        WatchList w = WatchList.parse("GATE\\s*\\d+\n  AB\\s*123 \n\nexit");
        assertThat(w.size()).isEqualTo(3);
        assertThat(w.pattern(1)).isEqualTo("AB\\s*123");
        assertThat(w.firstMatch("plate ab 123 cd")).isEqualTo(1);
        assertThat(w.firstMatch("Emergency Exit, Gate 7")).isZero();
        assertThat(w.firstMatch("nothing here")).isEqualTo(-1);
        assertThat(WatchList.parse("[\"exit\", \"^AB\"]").firstMatch("ab 12")).isEqualTo(1);
        assertThat(WatchList.parse("  ").isEmpty()).isTrue();
    }

    @Test
    void aPatternOverTheLengthLimitIsRefusedNamingTheLimit() throws Exception {
        String longest = "a".repeat(WatchList.DEFAULT_MAX_PATTERN_LENGTH);
        assertThat(WatchList.parse(longest).size()).isEqualTo(1);
        assertBad(longest + "a", "is " + (WatchList.DEFAULT_MAX_PATTERN_LENGTH + 1) + " characters long",
                "WatchList.DEFAULT_MAX_PATTERN_LENGTH");
        // the case of the incident note: a pattern over 8 KB
        assertBad("x".repeat(9_000), "WatchList.DEFAULT_MAX_PATTERN_LENGTH");
    }

    @Test
    void moreThanTheMostPatternsIsRefusedNamingTheLimit() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < WatchList.DEFAULT_MAX_PATTERNS; i++) {
            lines.add("p" + i);
        }
        assertThat(WatchList.parse(String.join("\n", lines)).size()).isEqualTo(WatchList.DEFAULT_MAX_PATTERNS);
        lines.add("one more");
        assertBad(String.join("\n", lines), "more than " + WatchList.DEFAULT_MAX_PATTERNS, "WatchList.DEFAULT_MAX_PATTERNS");
    }

    @Test
    void aSpecificationOverTheTotalLimitIsRefusedBeforeItIsParsed() {
        String spec = "[" + "\"a\",".repeat(WatchList.DEFAULT_MAX_SPEC_LENGTH / 4) + "\"a\"]";
        assertBad(spec, "WatchList.DEFAULT_MAX_SPEC_LENGTH");
    }

    @Test
    void nestedCountedRepetitionsThatWouldCompileToAHugeProgramAreRefusedBeforeCompiling() throws Exception {
        // RE2/J itself refuses one count over 1,000 ...
        assertBad("a{1001}", "not a valid regular expression");
        // ... but not their product: a million instructions here, a billion (out of memory) with one more level
        assertBad("(a{1000}){1000}", "WatchList.DEFAULT_MAX_PROGRAM_SIZE");
        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertBad("((a{1000}){1000}){1000}", "WatchList.DEFAULT_MAX_PROGRAM_SIZE"));
        assertBad("((((a{10}){10}){10}){10}){10}", "WatchList.DEFAULT_MAX_PROGRAM_SIZE");
        // ordinary counted patterns stay well inside
        assertThat(WatchList.parse("[\"[A-Z]{2}\\\\s?\\\\d{2,3}\\\\s?[A-Z]{3}\"]").firstMatch("plate AB 12 CDE")).isZero();
        assertThat(WatchList.parse("x[0-9]{1000}").size()).isEqualTo(1);
    }

    /** Each pattern within its own bound, but together too costly to search every reading for on every frame. */
    @Test
    void patternsThatTogetherCompileToTooMuchAreRefusedNamingTheTotal() throws Exception {
        String big = "x(\\\\w+\\\\s?){1000}"; // about 6,000 instructions, as JSON
        assertThat(WatchList.parse("[\"" + big + "\", \"" + big + "\", \"" + big + "\"]").size()).isEqualTo(3);
        assertBad("[\"" + big + "\", \"" + big + "\", \"" + big + "\", \"" + big + "\"]", "at pattern number 4",
                "WatchList.DEFAULT_MAX_TOTAL_PROGRAM_SIZE");
        // 64 ordinary patterns are far inside
        StringBuilder plates = new StringBuilder();
        for (int i = 0; i < WatchList.DEFAULT_MAX_PATTERNS; i++) {
            plates.append("\\b[A-Z]{2}\\s?").append(i).append("\\s?[A-Z]{3}\n");
        }
        WatchList w = WatchList.parse(plates.toString());
        assertThat(w.size()).isEqualTo(WatchList.DEFAULT_MAX_PATTERNS);
        assertThat(w.firstMatch("car AB 17 XYZ")).isEqualTo(17);
    }

    @Test
    void invalidAndUnsupportedSyntaxIsABadRequestNamingThePattern() {
        assertBad("[\"AB(\"]", "watch pattern 'AB(' (number 1)", "not a valid regular expression");
        assertBad("(a)\\1", "not a valid regular expression", "no back-references");
        assertBad("foo(?=bar)", "not a valid regular expression");
        assertBad("[\"ok\", {\"x\": 1}]", "JSON array of regular expressions");
        assertBad("[\"unterminated", "JSON array");
    }

    @Test
    void limitsAreRangeChecked() {
        assertThatThrownBy(() -> new WatchList.Limits(0, 1, 1, 16, 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxSpecLength");
        assertThatThrownBy(() -> new WatchList.Limits(1, 1, 1, 15, 16)).hasMessageContaining("maxProgramSize");
        assertThatThrownBy(() -> new WatchList.Limits(1, 1_025, 1, 16, 16)).hasMessageContaining("maxPatterns");
        assertThatThrownBy(() -> new WatchList.Limits(1, 1, 0, 16, 16)).hasMessageContaining("maxPatternLength");
        assertThatThrownBy(() -> new WatchList.Limits(1, 1, 1, 100, 99)).hasMessageContaining("maxTotalProgramSize");
    }

    @Test
    void customLimitsApply() {
        WatchList.Limits tight = new WatchList.Limits(100, 2, 5, 16, 16);
        assertThatThrownBy(() -> WatchList.parse("a\nb\nc", tight)).hasMessageContaining("more than 2");
        assertThatThrownBy(() -> WatchList.parse("abcdef", tight)).hasMessageContaining("limit is 5");
    }

    /** The estimate made before compiling is never well below what RE2/J then compiles. */
    @Test
    void theCostEstimateIsNotBelowTheCompiledProgram() {
        for (String p : List.of(HOSTILE, "AB\\s*123", "(a{100}){50}", "[a-z]{1000}", "x{3,}y{2,5}", "\\Qa.b{3}\\E{20}",
                "(?i)gate\\s*(\\d+|[ivx]+)", "a|b|c|(d(e(f)))", "\\p{Greek}{30}", "[[:alpha:]]{40}", "((a{2}){3}){4}")) {
            long compiled = Pattern.compile(p, Pattern.CASE_INSENSITIVE).programSize();
            assertThat(RegexCost.estimate(p)).as(p).isGreaterThanOrEqualTo(compiled - 4);
        }
    }

    static void assertBad(String spec, String... messageParts) {
        assertThatThrownBy(() -> WatchList.parse(spec)).isInstanceOfSatisfying(TaskException.class,
                e -> assertThat(e.code()).isEqualTo(Code.BAD_REQUEST)).satisfies(e -> {
                    for (String part : messageParts) {
                        assertThat(e).hasMessageContaining(part);
                    }
                });
    }
}
