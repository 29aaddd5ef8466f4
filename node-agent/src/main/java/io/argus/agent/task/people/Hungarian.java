package io.argus.agent.task.people;

import java.util.Arrays;

/**
 * Minimum-cost assignment (Kuhn-Munkres with potentials, O(n^2 m)) on a rectangular cost matrix.
 * Pairs whose cost is at or above {@code forbidden} are never returned as matches.
 */
public final class Hungarian {
    private Hungarian() {
    }

    /** Returns, for each row, the assigned column or -1. */
    public static int[] solve(double[][] cost, double forbidden) {
        int n = cost.length;
        if (n == 0) {
            return new int[0];
        }
        int m = cost[0].length;
        int size = Math.max(n, m);
        // square matrix, padded with the forbidden cost (an unmatched row or column)
        double[][] a = new double[size + 1][size + 1];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                a[i + 1][j + 1] = (i < n && j < m) ? Math.min(cost[i][j], forbidden) : forbidden;
            }
        }
        double[] u = new double[size + 1];
        double[] v = new double[size + 1];
        int[] p = new int[size + 1];
        int[] way = new int[size + 1];
        for (int i = 1; i <= size; i++) {
            p[0] = i;
            int j0 = 0;
            double[] minv = new double[size + 1];
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            boolean[] used = new boolean[size + 1];
            do {
                used[j0] = true;
                int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= size; j++) {
                    if (!used[j]) {
                        double cur = a[i0][j] - u[i0] - v[j];
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
                for (int j = 0; j <= size; j++) {
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
        for (int j = 1; j <= size; j++) {
            int i = p[j] - 1;
            int col = j - 1;
            if (i >= 0 && i < n && col < m && cost[i][col] < forbidden) {
                rowToCol[i] = col;
            }
        }
        return rowToCol;
    }
}
