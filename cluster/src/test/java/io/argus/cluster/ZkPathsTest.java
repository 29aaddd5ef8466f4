package io.argus.cluster;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ZkPathsTest {
    /** The rule as it is documented, to check the allocation-free loop against. */
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    @Test
    void namesFollowTheDocumentedRule() {
        assertThat(ZkPaths.isValidName("door-cam_1.v2")).isTrue();
        assertThat(ZkPaths.isValidName("a".repeat(128))).isTrue();
        for (String bad : new String[] {null, "", ".", "..", "a".repeat(129), "a/b", "ä", "a b", "x\n"}) {
            assertThat(ZkPaths.isValidName(bad)).as("%s", bad).isFalse();
        }
        // random strings over an alphabet with a few characters outside the rule
        String alphabet = "Az09._-/ :ü\u0000";
        Random rnd = new Random(20261201);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(135);
            for (int k = 0; k < n; k++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            boolean expected = RULE.matcher(s).matches() && !s.equals(".") && !s.equals("..");
            assertThat(ZkPaths.isValidName(s)).as("'%s'", s).isEqualTo(expected);
        }
    }
}
