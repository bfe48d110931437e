package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TreeSumTest {

    /** Values of wildly different magnitudes, so that any change of summation order changes the bits. */
    private static double[][] buffers(int partitions, long seed) {
        Random rng = new Random(seed);
        double[][] b = new double[partitions][3];
        for (double[] row : b) for (int i = 0; i < row.length; i++) row[i] = rng.nextGaussian() * Math.pow(10, rng.nextInt(16));
        return b;
    }

    private static double[] sumInOrder(double[][] b, List<Integer> order, boolean pairwiseMerges) {
        int p = b.length;
        TreeSum acc = new TreeSum(p);
        if (pairwiseMerges) {
            // Deliver in two groups merged separately, as treeAggregate's levels do.
            TreeSum other = new TreeSum(p);
            for (int i = 0; i < order.size(); i++) {
                int idx = order.get(i);
                (i % 2 == 0 ? acc : other).merge(TreeSum.leaf(p, idx, b[idx].clone()));
            }
            return acc.merge(other).total();
        }
        for (int idx : order) acc.merge(TreeSum.leaf(p, idx, b[idx].clone()));
        return acc.total();
    }

    @Test
    void resultIsBitwiseTheSameForEveryDeliveryOrder() {
        for (int p : new int[] {1, 2, 3, 4, 5, 7, 8, 13, 64}) {
            double[][] b = buffers(p, p);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < p; i++) order.add(i);
            double[] reference = sumInOrder(b, order, false);
            // The fixed tree's value, computed independently by recursion over index ranges.
            int width = 1;
            while (width < p) width *= 2;
            double[] expected = new double[3];
            for (int i = 0; i < 3; i++) expected[i] = treeValue(b, i, 0, width);
            for (int i = 0; i < 3; i++) assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(reference[i]), "p=" + p);
            Random rng = new Random(p);
            for (int trial = 0; trial < 50; trial++) {
                Collections.shuffle(order, rng);
                double[] shuffled = sumInOrder(b, order, trial % 2 == 0);
                for (int i = 0; i < 3; i++) {
                    assertEquals(Double.doubleToLongBits(reference[i]), Double.doubleToLongBits(shuffled[i]), "p=" + p + " order " + order);
                }
            }
        }
    }

    /** Sum of leaves [from, from+width) as the fixed binary tree defines it: left half + right half. */
    private static double treeValue(double[][] b, int i, int from, int width) {
        if (width == 1) return b[from][i];
        int half = width / 2;
        if (from + half >= b.length) return treeValue(b, i, from, half);
        return treeValue(b, i, from, half) + treeValue(b, i, from + half, half);
    }

    @Test
    void anIncompleteSumIsAnError() {
        TreeSum s = new TreeSum(3);
        s.merge(TreeSum.leaf(3, 0, new double[] {1}));
        s.merge(TreeSum.leaf(3, 2, new double[] {1}));
        assertThrows(IllegalStateException.class, s::total);
    }
}
