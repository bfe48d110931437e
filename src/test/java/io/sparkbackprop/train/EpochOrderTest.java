package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class EpochOrderTest {

    private static long[] order(long n, long seed, int epoch, int partition) {
        EpochOrder o = new EpochOrder(n, seed, epoch, partition);
        long[] rows = new long[(int) n];
        for (int i = 0; i < n; i++) rows[i] = o.rowAt(i);
        return rows;
    }

    @Test
    void everyRowAppearsExactlyOnceForManySizes() {
        for (long n : new long[] {1, 2, 3, 4, 5, 7, 16, 17, 100, 255, 256, 257, 1000, 4097, 65_537}) {
            long[] rows = order(n, 42, 3, 1);
            BitSet seen = new BitSet();
            for (long r : rows) {
                assertTrue(r >= 0 && r < n, "row " + r + " out of range for n=" + n);
                assertTrue(!seen.get((int) r), "row " + r + " repeated for n=" + n);
                seen.set((int) r);
            }
            assertEquals(n, seen.cardinality());
        }
    }

    @Test
    void orderIsFreshPerEpochAndPartitionAndRepeatableForTheSameKey() {
        long[] a = order(1000, 7, 1, 0);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(order(1000, 7, 1, 0)));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(order(1000, 7, 2, 0)));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(order(1000, 7, 1, 1)));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(order(1000, 8, 1, 0)));
    }

    @Test
    void orderLooksShuffled() {
        // A real shuffle leaves about one fixed point and scatters neighbours: check both loosely.
        long[] rows = order(10_000, 1, 1, 0);
        int fixed = 0;
        int adjacent = 0;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == i) fixed++;
            if (i > 0 && Math.abs(rows[i] - rows[i - 1]) == 1) adjacent++;
        }
        assertTrue(fixed < 10, "fixed points: " + fixed);
        assertTrue(adjacent < 20, "adjacent pairs: " + adjacent);
        // The first tenth of the order should hold about a tenth of each tenth of the rows.
        int[] buckets = new int[10];
        for (int i = 0; i < 1000; i++) buckets[(int) (rows[i] / 1000)]++;
        for (int b : buckets) assertTrue(b > 60 && b < 140, "bucket count " + b);
    }

    @Test
    void batchPlanSlicesCoverEachPartitionExactlyOnce() {
        for (long total : new long[] {1, 10, 999, 1000, 1001}) {
            for (int batch : new int[] {0, 1, 7, 100, 5000}) {
                BatchPlan plan = BatchPlan.of(total, batch);
                long expectedSteps = batch <= 0 || batch >= total ? 1 : (total + batch - 1) / batch;
                assertEquals(expectedSteps, plan.stepsPerEpoch());
                for (int partitions : new int[] {1, 2, 3}) {
                    for (int p = 0; p < partitions; p++) {
                        for (long n : new long[] {0, 1, total / 3, total}) {
                            long next = 0;
                            for (int s = 0; s < plan.stepsPerEpoch(); s++) {
                                assertEquals(next, plan.sliceStart(n, s, p, partitions));
                                next = plan.sliceEnd(n, s, p, partitions);
                                long size = next - plan.sliceStart(n, s, p, partitions);
                                long floor = n / plan.stepsPerEpoch();
                                assertTrue(size == floor || size == floor + 1, "slice of " + size + " rows");
                            }
                            assertEquals(n, next);
                        }
                    }
                }
            }
        }
    }

    @Test
    void partitionsTakeTurnsSoEveryStepHasTheBatchSize() {
        // Two partitions of 500 rows, batch 1: 1,000 steps of exactly one row each.
        BatchPlan plan = BatchPlan.of(1000, 1);
        for (int s = 0; s < 1000; s++) {
            long rows = 0;
            for (int p = 0; p < 2; p++) rows += plan.sliceEnd(500, s, p, 2) - plan.sliceStart(500, s, p, 2);
            assertEquals(1, rows, "step " + s);
        }
        // Three uneven partitions, batch 100: every global batch is 100 rows give or take the partitions' rounding.
        long[] n = {300, 340, 361};
        BatchPlan uneven = BatchPlan.of(1001, 100);
        for (int s = 0; s < uneven.stepsPerEpoch(); s++) {
            long rows = 0;
            for (int p = 0; p < 3; p++) rows += uneven.sliceEnd(n[p], s, p, 3) - uneven.sliceStart(n[p], s, p, 3);
            assertTrue(rows >= 89 && rows <= 93, "step " + s + " has " + rows + " rows");
        }
    }
}
