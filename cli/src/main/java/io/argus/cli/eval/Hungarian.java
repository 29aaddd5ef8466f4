package io.argus.cli.eval;

import java.util.Arrays;

/**
 * Minimum-cost assignment on a rectangular matrix: the Kuhn-Munkres algorithm with potentials
 * (Jonker-Volgenant style shortest augmenting paths, O(n^2 m)), written for the evaluation so that
 * it does not depend on the agent's tracker internals. Every row of the smaller side is assigned,
 * as {@code scipy.optimize.linear_sum_assignment} does; callers that have forbidden pairs give them
 * a large cost and drop them afterwards (see {@link ClearMot}).
 */
public final class Hungarian {
    private Hungarian() {
    }

    /** For each row, its column, or -1 when there are more rows than columns and it got none. */
    public static int[] solve(double[][] cost) {
        int n = cost.length;
        int m = n == 0 ? 0 : cost[0].length;
        if (n == 0 || m == 0) {
            int[] none = new int[n];
            Arrays.fill(none, -1);
            return none;
        }
        if (n <= m) {
            return solveWide(cost, n, m);
        }
        double[][] t = new double[m][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                t[j][i] = cost[i][j];
            }
        }
        int[] colToRow = solveWide(t, m, n);
        int[] rowToCol = new int[n];
        Arrays.fill(rowToCol, -1);
        for (int j = 0; j < m; j++) {
            rowToCol[colToRow[j]] = j;
        }
        return rowToCol;
    }

    /** n <= m: assigns every row. Arrays are 1-based inside; index 0 is the virtual start. */
    private static int[] solveWide(double[][] a, int n, int m) {
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] p = new int[m + 1];   // p[j]: row assigned to column j
        int[] way = new int[m + 1];
        double[] minv = new double[m + 1];
        boolean[] used = new boolean[m + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                used[j0] = true;
                int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double cur = a[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] rowToCol = new int[n];
        Arrays.fill(rowToCol, -1);
        for (int j = 1; j <= m; j++) {
            if (p[j] != 0) {
                rowToCol[p[j] - 1] = j - 1;
            }
        }
        return rowToCol;
    }
}
