package io.sparkbackprop.train;

import io.sparkbackprop.data.Block;
import io.sparkbackprop.nn.Topology;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * What one task does with its partition in a local-steps job: starting from the broadcast weights and
 * optimizer state, it takes K consecutive steps of the epoch on its own, each on exactly the rows the
 * synchronous mode would give this partition for that step (same {@link BatchPlan} slice, {@link EpochOrder}
 * and dropout keys, through {@link PartitionPass}), with the same gradient adjustment and scheduled rate.
 * It returns its model weighted by its rows, so that a {@link TreeSum} of the buffers divided by the total
 * rows is the row-weighted average of the partitions' models.
 * <p>
 * Buffer layout, P weights, S optimizer slots, K steps: [n·w (P), n·slot (S·P), loss sum per step (K),
 * rows per step (K), rows·gradient norm per step (K), n], n the partition's rows (weight sum) in the job.
 * Broadcast layout: [w (P), slots (S·P), optimizer steps taken].
 */
final class LocalStepsPass {
    private LocalStepsPass() {
    }

    /** Everything a task needs besides the data and the broadcast: shipped with the closure, so Serializable. */
    record Recipe(TrainingConfig config, Topology topology, BatchPlan plan) implements Serializable {
        /** The rate of global step {@code step} of {@code epoch}: the synchronous run's. */
        double rate(int epoch, int step) {
            return config.rate(epoch, step, plan.stepsPerEpoch());
        }
    }

    /** Packs the driver's weights and optimizer state into one array (one broadcast, no extra Kryo class). */
    static double[] pack(double[] w, OptimizerState state) {
        double[][] slots = state.slots();
        int p = w.length;
        double[] out = new double[p * (1 + slots.length) + 1];
        System.arraycopy(w, 0, out, 0, p);
        for (int s = 0; s < slots.length; s++) System.arraycopy(slots[s], 0, out, p * (1 + s), p);
        out[out.length - 1] = state.steps();
        return out;
    }

    static double[] run(Iterator<Block> it, int partition, int partitions, Recipe r, double[] start, int epoch, int first, int k) {
        Topology t = r.topology();
        int p = t.numParams();
        Optimizer optimizer = r.config().newOptimizer(t);
        String name = optimizer.state().optimizer();
        int slotCount = (start.length - 1) / p - 1;
        double[][] slots = new double[slotCount][];
        for (int s = 0; s < slotCount; s++) slots[s] = Arrays.copyOfRange(start, p * (1 + s), p * (2 + s));
        optimizer.restore(new OptimizerState(name, (long) start[start.length - 1], slots));
        double[] w = Arrays.copyOf(start, p);
        GradientAdjustment adjustment = r.config().gradientAdjustment(t);
        // Collected once: every step of the job reads the same cached blocks.
        List<Block> blocks = TrainingSet.collectBlocks(it);

        int perStep = p * (1 + slotCount);
        double[] out = new double[perStep + 3 * k + 1];
        double n = 0;
        for (int i = 0; i < k; i++) {
            int step = first + i;
            StepSums sums = StepSums.of(PartitionPass.gradient(blocks.iterator(), partition, partitions, t, w, r.plan(), r.config(),
                    epoch, step));
            // The loss is the one before this step's update, as the synchronous mode reports it.
            out[perStep + i] = sums.lossSum;
            out[perStep + k + i] = sums.rows;
            // No rows of this step here: nothing to learn from, so no update (the optimizer does not count a step).
            if (sums.rows == 0) continue;
            double[] g = sums.mean;
            out[perStep + 2 * k + i] = sums.rows * sums.norm;
            if (adjustment.changesAnything()) adjustment.apply(w, g);
            optimizer.step(w, g, r.rate(epoch, step));
            n += sums.rows;
        }
        out[out.length - 1] = n;
        // A partition without rows in the job weighs 0 in the average: its buffer stays zero.
        if (n > 0) {
            for (int j = 0; j < p; j++) out[j] = n * w[j];
            double[][] end = optimizer.state().slots();
            for (int s = 0; s < slotCount; s++) {
                for (int j = 0; j < p; j++) out[p * (1 + s) + j] = n * end[s][j];
            }
        }
        return out;
    }
}
