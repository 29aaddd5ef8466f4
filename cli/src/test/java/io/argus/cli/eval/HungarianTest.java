package io.argus.cli.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class HungarianTest {

    @Test
    void squareMatrixGivesTheKnownOptimum() {
        // optimum: row0-col1 (1) + row1-col0 (2) + row2-col2 (2) = 5
        double[][] c = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        assertThat(Hungarian.solve(c)).containsExactly(1, 0, 2);
    }

    @Test
    void rectangularMatricesAssignTheSmallerSide() {
        assertThat(Hungarian.solve(new double[][]{{5, 1, 9}, {1, 5, 9}})).containsExactly(1, 0);
        assertThat(Hungarian.solve(new double[][]{{5, 1}, {1, 5}, {9, 9}})).containsExactly(1, 0, -1);
        assertThat(Hungarian.solve(new double[0][0])).isEmpty();
    }

    @Test
    void matchesBruteForceOnRandomMatrices() {
        Random rnd = new Random(42);
        for (int t = 0; t < 300; t++) {
            int n = 1 + rnd.nextInt(5);
            int m = 1 + rnd.nextInt(5);
            double[][] c = new double[n][m];
            for (double[] row : c) {
                for (int j = 0; j < m; j++) {
                    row[j] = rnd.nextInt(10);
                }
            }
            int[] a = Hungarian.solve(c);
            double got = 0;
            for (int i = 0; i < n; i++) {
                if (a[i] >= 0) {
                    got += c[i][a[i]];
                }
            }
            assertThat(got).as("trial %d", t).isEqualTo(best(c, 0, new boolean[m], n <= m));
        }
    }

    /** Minimum over assignments of min(n, m) pairs. */
    private static double best(double[][] c, int row, boolean[] used, boolean allRows) {
        if (row == c.length) {
            int usedCols = 0;
            for (boolean u : used) {
                usedCols += u ? 1 : 0;
            }
            return usedCols == Math.min(c.length, used.length) ? 0 : Double.POSITIVE_INFINITY;
        }
        double b = allRows ? Double.POSITIVE_INFINITY : best(c, row + 1, used, false);
        for (int j = 0; j < used.length; j++) {
            if (!used[j]) {
                used[j] = true;
                b = Math.min(b, c[row][j] + best(c, row + 1, used, allRows));
                used[j] = false;
            }
        }
        return b;
    }
}
