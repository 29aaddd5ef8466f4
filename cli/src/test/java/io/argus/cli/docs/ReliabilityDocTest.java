package io.argus.cli.docs;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY.md names its bounds by constant ({@code `EventLinkConfig.DEFAULT_MAX_QUEUED`}). A
 * constant renamed, moved or changed without the page made it lie: the page cited
 * {@code CoordinatorLink} and {@code StreamSession} constants that had moved to other classes. This
 * test resolves every {@code `Class.CONSTANT`} on the page by simple name among the classes every
 * module compiled (its {@code target/classes}), and fails naming each one that does not exist. In
 * the tables whose second column is "default", the first constant a row cites must also hold a
 * number that row's bound or default cell states, after units (ms, s, min, hour; KiB, MiB, GiB)
 * and the constant's own unit (its suffix {@code _MS}, {@code _NANOS}, {@code _US},
 * {@code _SECONDS}, {@code _BYTES}, or a {@link Duration}). Anywhere on the page, prose or table, a
 * constant followed at once by a number ({@code `BackoffConfig.DEFAULT_MAX_MS` 1000 ms},
 * {@code `SuspicionConfig.DEFAULT_SEQUENCED_STALL_MS`, 120 s}, {@code `X.Y` (2 s)}) must hold that
 * number: the page cited numbers in prose that nothing checked.
 */
class ReliabilityDocTest {
    private static final Pattern REF = Pattern.compile("`([A-Z][A-Za-z0-9]*)\\.([A-Z][A-Z0-9_]*)`");
    private static final Pattern QUANTITY = Pattern.compile(
            "(?<![\\w.^])(\\d{1,3}(?:,\\d{3})+|\\d+)(\\.\\d+)?(?:\\s*x\\s*(\\d{1,3}(?:,\\d{3})+|\\d+))?"
                    + "(?:\\s*(ms|s|min|hours?|KiB|MiB|GiB)\\b)?");
    /** What may stand between a constant and the number it is said to hold: a space, a comma, a parenthesis. */
    private static final Pattern RIGHT_AFTER = Pattern.compile("^(?:\\s*\\(|,\\s*|\\s+)");

    record Ref(String className, String constant, int line) {
        @Override
        public String toString() {
            return className + "." + constant + " (RELIABILITY.md line " + line + ")";
        }
    }

    @Test
    void everyConstantThePageNamesExistsAndHoldsTheStatedDefault() throws Exception {
        Path root = repositoryRoot();
        List<String> lines = Files.readAllLines(root.resolve("RELIABILITY.md"));
        List<Path> classDirs = classDirectories(root);
        Map<String, List<String>> bySimpleName = classesBySimpleName(classDirs);
        URL[] urls = new URL[classDirs.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = classDirs.get(i).toUri().toURL();
        }
        List<String> problems = new ArrayList<>();
        int checked = 0;
        int valuesChecked = 0;
        int proseChecked = 0;
        try (URLClassLoader loader = new URLClassLoader(urls, getClass().getClassLoader())) {
            boolean inDefaultsTable = false;
            boolean previousWasRow = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                boolean row = line.startsWith("|");
                if (row && !previousWasRow) { // a table's header row
                    String[] header = cells(line);
                    inDefaultsTable = header.length > 2 && header[1].equals("default");
                }
                previousWasRow = row;
                Matcher m = REF.matcher(line);
                Ref first = null;
                Object firstValue = null;
                while (m.find()) {
                    Ref ref = new Ref(m.group(1), m.group(2), i + 1);
                    checked++;
                    Object value;
                    try {
                        value = resolve(ref, bySimpleName, loader);
                    } catch (IllegalStateException missing) {
                        problems.add(missing.getMessage());
                        continue;
                    }
                    if (first == null) {
                        first = ref;
                        firstValue = value;
                    }
                    List<Double> said = statedRightAfter(line.substring(m.end()));
                    Double v = numeric(ref, value);
                    if (!said.isEmpty() && v != null) {
                        proseChecked++;
                        if (said.stream().noneMatch(x -> same(x, v))) {
                            problems.add(ref + " holds " + value + " but the page says "
                                    + line.substring(m.end(), Math.min(line.length(), m.end() + 20)).trim());
                        }
                    }
                }
                if (row && inDefaultsTable && first != null && !line.startsWith("|---")) {
                    String[] c = cells(line);
                    List<Double> stated = quantities(c[1]);
                    if (!stated.isEmpty() && numeric(first, firstValue) != null) {
                        valuesChecked++;
                        stated.addAll(quantities(c[0]));
                        double v = numeric(first, firstValue);
                        if (stated.stream().noneMatch(s -> same(s, v))) {
                            problems.add(first + " holds " + firstValue + " but its row states " + c[1].trim());
                        }
                    }
                }
            }
        }
        assertThat(problems).as("constants RELIABILITY.md cites").isEmpty();
        // the page names about a hundred constants: far fewer means the parsing broke, not the page
        assertThat(checked).isGreaterThan(60);
        assertThat(valuesChecked).isGreaterThan(30);
        assertThat(proseChecked).isGreaterThan(15);
    }

    @Test
    void aDriftedOrMissingConstantIsCaught() throws Exception {
        Path root = repositoryRoot();
        List<Path> dirs = classDirectories(root);
        Map<String, List<String>> byName = classesBySimpleName(dirs);
        try (URLClassLoader loader = new URLClassLoader(new URL[0], getClass().getClassLoader())) {
            Assertions.assertThatThrownBy(
                    () -> resolve(new Ref("CoordinatorLink", "MAX_QUEUED", 1), byName, loader))
                    .hasMessageContaining("CoordinatorLink.MAX_QUEUED");
            Assertions.assertThatThrownBy(
                    () -> resolve(new Ref("NoSuchClassAnywhere", "X", 1), byName, loader))
                    .hasMessageContaining("no class");
        }
        assertThat(quantities("200 ms doubling to 5 s")).contains(200.0, 5_000.0);
        assertThat(quantities("3840 x 2160")).contains(3840.0 * 2160);
        assertThat(quantities("20,000 per store, 8 stores, for 1 hour")).contains(20_000.0, 8.0, 3_600_000.0);
        assertThat(quantities("256 MiB")).contains(256.0 * 1024 * 1024);
        assertThat(statedRightAfter(" 20 ms doubling")).containsExactly(20.0, 20.0);
        assertThat(statedRightAfter(", 120 s).")).containsExactly(120.0, 120_000.0);
        assertThat(statedRightAfter(" (2 s) for")).containsExactly(2.0, 2_000.0);
        assertThat(statedRightAfter(" (`X.Y`, 3 s)")).as("a number after another citation").isEmpty();
        assertThat(statedRightAfter("; then 5 s")).isEmpty();
    }

    private static String[] cells(String row) {
        String body = row.strip();
        body = body.substring(1, body.endsWith("|") ? body.length() - 1 : body.length());
        String[] c = body.split("\\|", -1);
        for (int i = 0; i < c.length; i++) {
            c[i] = c[i].trim();
        }
        return c;
    }

    /** Every number in a cell, as written and in base units (ms for times, bytes for sizes). */
    static List<Double> quantities(String cell) {
        List<Double> out = new ArrayList<>();
        Matcher m = QUANTITY.matcher(cell);
        while (m.find()) {
            double n = Double.parseDouble(m.group(1).replace(",", "") + (m.group(2) == null ? "" : m.group(2)));
            out.add(n);
            if (m.group(3) != null) {
                n *= Double.parseDouble(m.group(3).replace(",", ""));
                out.add(n);
            }
            if (m.group(4) != null) {
                out.add(n * switch (m.group(4)) {
                    case "ms" -> 1;
                    case "s" -> 1_000;
                    case "min" -> 60_000;
                    case "hour", "hours" -> 3_600_000;
                    case "KiB" -> 1024;
                    case "MiB" -> 1024 * 1024;
                    default -> 1024.0 * 1024 * 1024; // GiB
                });
            }
        }
        return out;
    }

    /** The number that follows a constant at once (after a space, a comma or a parenthesis), as {@link #quantities}; else none. */
    static List<Double> statedRightAfter(String rest) {
        Matcher gap = RIGHT_AFTER.matcher(rest);
        if (!gap.lookingAt()) {
            return List.of();
        }
        String after = rest.substring(gap.end());
        Matcher m = QUANTITY.matcher(after);
        return m.lookingAt() ? quantities(after.substring(0, m.end())) : List.of();
    }

    /** The constant in the units the page uses: ms for times, bytes for sizes, else as it is. */
    private static Double numeric(Ref ref, Object value) {
        double v;
        if (value instanceof Duration d) {
            return (double) d.toMillis();
        } else if (value instanceof Number n) {
            v = n.doubleValue();
        } else {
            return null; // a string or an object: existence only
        }
        String name = ref.constant();
        if (name.endsWith("_NANOS")) {
            return v / 1e6;
        } else if (name.endsWith("_US")) {
            return v / 1e3;
        } else if (name.endsWith("_SECONDS")) {
            return v * 1e3;
        }
        return v;
    }

    private static boolean same(double a, double b) {
        return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
    }

    /** The value of a static field, from whichever compiled class of that simple name has it. */
    static Object resolve(Ref ref, Map<String, List<String>> bySimpleName, ClassLoader loader) {
        List<String> candidates = bySimpleName.getOrDefault(ref.className(), List.of());
        if (candidates.isEmpty()) {
            throw new IllegalStateException(ref + ": no class " + ref.className() + " in any module");
        }
        for (String fqn : candidates) {
            try {
                Class<?> c = Class.forName(fqn, true, loader);
                Field f = c.getDeclaredField(ref.constant());
                if (!Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                return f.get(null);
            } catch (NoSuchFieldException notHere) {
                // another class of that name may have it
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException(ref + ": cannot read it from " + fqn + ": " + e, e);
            }
        }
        throw new IllegalStateException(ref + ": no static field " + ref.constant() + " in " + candidates);
    }

    private static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("RELIABILITY.md"))) {
            p = p.getParent();
        }
        assertThat(p).as("a directory above the working directory with RELIABILITY.md").isNotNull();
        return p;
    }

    /** Every module's compiled main classes (modules may nest up to two levels). */
    private static List<Path> classDirectories(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root, 4)) {
            List<Path> dirs = s.filter(Files::isDirectory)
                    .filter(d -> d.endsWith(Path.of("target", "classes")))
                    .filter(d -> !d.toString().contains("/.git/"))
                    .sorted().toList();
            assertThat(dirs).as("compiled modules under " + root).isNotEmpty();
            return dirs;
        }
    }

    private static Map<String, List<String>> classesBySimpleName(List<Path> dirs) throws IOException {
        Map<String, List<String>> out = new HashMap<>();
        for (Path dir : dirs) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$"))
                        .forEach(f -> {
                            String rel = dir.relativize(f).toString();
                            String fqn = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
                            String simple = fqn.substring(fqn.lastIndexOf('.') + 1);
                            out.computeIfAbsent(simple, k -> new ArrayList<>()).add(fqn);
                        });
            }
        }
        return out;
    }
}
